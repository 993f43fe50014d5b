using System.Net;
using System.Net.Http.Headers;
using Kefu.Server.Auth;
using Kefu.Server.DemoShop;
using Kefu.Server.Hosting;
using Kefu.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kefu.Browser.Tests.Support;

/// <summary>
/// The server as <c>kefu serve --demo</c> runs it, retrieval-only (no model): real Kestrel on a free loopback port,
/// the demo shop's order API beside it, data and a copy of the demo's word lists in a temp folder (so adding a word
/// never edits the repository), and two agent accounts: an agent and an admin.
/// </summary>
internal sealed class KefuTestServer : IAsyncDisposable
{
    public const string ApiKey = "browser-test-key";
    public const string AgentName = "wang";
    public const string AgentPassword = "wang-password-1";
    public const string AdminName = "boss";
    public const string AdminPassword = "boss-password-1";

    private readonly TempDirectory _temp;
    private readonly DemoShopHost _shop;

    private KefuTestServer(TempDirectory temp, DemoShopHost shop, WebApplication app, Uri address)
    {
        _temp = temp;
        _shop = shop;
        App = app;
        Address = address;
    }

    public WebApplication App { get; }

    /// <summary>The server's root, ending in '/'.</summary>
    public Uri Address { get; }

    public string DataDirectory => _temp.Path;

    /// <summary>The word-list manifest the server uses (a copy of the demo's).</summary>
    public string LexiconPath => Path.Combine(_temp.Path, "safety", "lexicon.json");

    public static async Task<KefuTestServer> StartAsync(Action<KefuServerOptions>? configure = null)
    {
        var samples = DemoSetup.FindSamples(Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce"));
        if (samples is null)
            Assert.Skip("samples/ecommerce is absent; the browser tests run the demo shop.");
        var temp = new TempDirectory();
        var safety = Path.Combine(temp.Path, "safety");
        Directory.CreateDirectory(safety);
        foreach (var file in Directory.GetFiles(Path.Combine(samples, "safety")))
            File.Copy(file, Path.Combine(safety, Path.GetFileName(file)));
        var shop = await DemoSetup.StartShopAsync(samples, temp.Path, TestContext.Current.CancellationToken);
        var options = new KefuServerOptions
        {
            Urls = ["http://127.0.0.1:0"],
            DataDirectory = temp.Path,
            ApiKeys = [new Kefu.Server.Hosting.ApiKey("operator", ApiKey, Agent: true)],
            RequestsPerMinutePerKey = 100_000,
            CustomerMessagesPerMinute = 600,
            AgentQueuePollInterval = TimeSpan.FromMilliseconds(200),
            AgentAccounts =
            [
                new AgentAccount(AgentName, "客服小王", AgentPasswords.Hash(AgentPassword)),
                new AgentAccount(AdminName, "店长", AgentPasswords.Hash(AdminPassword), Admin: true),
            ],
            // Several servers live in this test process: each gets its own meter (see ServiceMetrics).
            MeterName = "Kefu.Service.BrowserTest" + Guid.NewGuid().ToString("N"),
            // Runs after the demo's settings (DemoSetup.Apply chains it last): the copied word lists win.
            ConfigureService = service => service.Guardrails.LexiconPath = Path.Combine(safety, "lexicon.json"),
        };
        DemoSetup.Apply(options, samples, shop);
        configure?.Invoke(options);
        var app = await KefuServer.BuildAsync(options, builder => builder.Logging.SetMinimumLevel(LogLevel.Warning), TestContext.Current.CancellationToken);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KefuTestServer(temp, shop, app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>A client with the operator's API key, or none.</summary>
    public HttpClient Client(bool withKey = false)
    {
        var http = new HttpClient { BaseAddress = Address };
        if (withKey)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return http;
    }

    /// <summary>A client signed in as an agent account (cookie), sending the CSRF header the cookie needs on writes.</summary>
    public async Task<HttpClient> SignedInClientAsync(string name, string password, bool csrfHeader = true)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = Address };
        using var response = await http.PostAsync("api/agent/sign-in", Json.Body(new { name, password }), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        if (csrfHeader)
            http.DefaultRequestHeaders.Add("X-Kefu-Csrf", "1");
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await _shop.DisposeAsync();
        _temp.Dispose();
    }
}
