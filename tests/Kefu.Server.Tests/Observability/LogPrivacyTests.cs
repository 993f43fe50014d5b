using Kefu.Server.Tests.Support;
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
        var logs = new CapturingLoggerProvider();
        await using var server = await RunningServer.StartDemoAsync(host: builder =>
        {
            builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Information).AddProvider(logs);
            builder.Logging.AddFilter("Kefu", LogLevel.Information);
        });
        var http = server.Http;

        var first = await Json.PostAsync(http, "chat", new { message = $"ORD12345的收货地址改成上海市浦东新区世纪大道100号，张三，{Phone}，身份证{IdCard}" });
        var session = first.GetProperty("session_id").GetString();
        await Json.PostAsync(http, "chat", new { session_id = session, message = $"我的手机号{Phone}，身份证{IdCard}，帮我查查" });
        await server.App.StopAsync(TestContext.Current.CancellationToken);

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
