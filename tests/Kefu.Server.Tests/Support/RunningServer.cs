using System.Net.Http.Headers;
using Kefu.Server.DemoShop;
using Kefu.Server.Hosting;
using Kefu.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kefu.Server.Tests.Support;

/// <summary>
/// The Kefu server as <c>kefu serve --demo</c> runs it — real Kestrel on 127.0.0.1 with a free port, the demo shop
/// API beside it, the demo's knowledge in SQLite in a temp folder — and an HttpClient holding the test's API key.
/// </summary>
internal sealed class RunningServer : IAsyncDisposable
{
    public const string Key = "test-agent-key";
    public const string CustomerKey = "test-customer-key";
    public const string SecondAgentKey = "test-agent-key-2";

    private readonly TempDirectory _temp;
    private readonly DemoShopHost _shop;

    private RunningServer(TempDirectory temp, DemoShopHost shop, WebApplication app, Uri address)
    {
        _temp = temp;
        _shop = shop;
        App = app;
        Address = address;
        Http = Client(Key);
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public Uri ShopAddress => _shop.BaseAddress;

    public HttpClient Http { get; }

    public string DataDirectory => _temp.Path;

    public static async Task<RunningServer> StartDemoAsync(Action<KefuServerOptions>? configure = null)
    {
        var samples = DemoSetup.FindSamples(Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce"));
        if (samples is null)
            Assert.Skip("samples/ecommerce is absent; the server tests run the demo shop.");
        var temp = new TempDirectory();
        var shop = await DemoSetup.StartShopAsync(samples, temp.Path, TestContext.Current.CancellationToken);
        var options = new KefuServerOptions
        {
            Urls = ["http://127.0.0.1:0"],
            DataDirectory = temp.Path,
            ApiKeys = [new ApiKey("agent", Key, Agent: true), new ApiKey("agent2", SecondAgentKey, Agent: true), new ApiKey("customer", CustomerKey, Agent: false)],
            RequestsPerMinutePerKey = 100_000,
            // Several servers live in this test process: each gets its own meter (see ServiceMetrics).
            MeterName = "Kefu.Service.Test" + Guid.NewGuid().ToString("N"),
        };
        DemoSetup.Apply(options, samples, shop);
        configure?.Invoke(options);
        var app = await KefuServer.BuildAsync(options, builder => builder.Logging.SetMinimumLevel(LogLevel.Warning), TestContext.Current.CancellationToken);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningServer(temp, shop, app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>A client of this server sending <paramref name="apiKey"/> (none when null).</summary>
    public HttpClient Client(string? apiKey)
    {
        var http = new HttpClient { BaseAddress = Address };
        if (apiKey is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await _shop.DisposeAsync();
        _temp.Dispose();
    }
}
