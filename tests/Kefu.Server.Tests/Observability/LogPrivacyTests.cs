using Kefu.Server.Hosting;
using Kefu.Server.Tests.Support;
using Kefu.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kefu.Server.Tests.Observability;

/// <summary>
/// The server's logs at Information level (routing reasons, tool calls with their arguments) carry no personal data:
/// a customer who types a phone number and an ID card number into a new address finds neither, nor the address, in
/// any log line.
/// </summary>
public sealed class LogPrivacyTests
{
    private const string Phone = "13812345678";
    private const string IdCard = "110101199003074514";

    [Fact]
    public async Task TurnsWithPhoneAndIdCard_LoggedAtInformation_CarryNeither()
    {
        var samples = DemoSetup.FindSamples(Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce"));
        if (samples is null)
            Assert.Skip("samples/ecommerce is absent; the server tests run the demo shop.");
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        await using var shop = await DemoSetup.StartShopAsync(samples, temp.Path, ct);
        var options = new KefuServerOptions
        {
            Urls = ["http://127.0.0.1:0"],
            DataDirectory = temp.Path,
            ApiKeys = [new ApiKey("agent", RunningServer.Key, Agent: true)],
            MeterName = "Kefu.Service.Test" + Guid.NewGuid().ToString("N"),
        };
        DemoSetup.Apply(options, samples, shop);
        var logs = new CapturingLoggerProvider();
        await using var app = await KefuServer.BuildAsync(options, builder =>
        {
            builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Information).AddProvider(logs);
            builder.Logging.AddFilter("Kefu", LogLevel.Information);
        }, ct);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", RunningServer.Key);

        var first = await Json.PostAsync(http, "chat", new { message = $"ORD12345的收货地址改成上海市浦东新区世纪大道100号，张三，{Phone}，身份证{IdCard}" });
        var session = first.GetProperty("session_id").GetString();
        await Json.PostAsync(http, "chat", new { session_id = session, message = $"我的手机号{Phone}，身份证{IdCard}，帮我查查" });
        await app.StopAsync(ct);

        var lines = logs.Lines.ToList();
        // The turns did log what a support team needs: the routing decision and the tool call with its (masked) arguments.
        lines.ShouldContain(l => l.Contains("routed to", StringComparison.Ordinal));
        lines.ShouldContain(l => l.Contains("change_address", StringComparison.Ordinal) && l.Contains("\"order_id\":\"ORD12345\"", StringComparison.Ordinal)
            && l.Contains("\"new_address\":\"<", StringComparison.Ordinal));
        foreach (var line in lines)
        {
            line.ShouldNotContain(Phone);
            line.ShouldNotContain(IdCard);
            line.ShouldNotContain("世纪大道"); // the address itself is personal data too
        }
    }
}
