using System.Net;
using Kefu.Server.Auth;
using Kefu.Server.Hosting;
using Kefu.Testing.Server;
using Microsoft.AspNetCore.Builder;

namespace Kefu.Browser.Tests.Support;

/// <summary>
/// The server as <c>kefu serve --demo</c> runs it, retrieval-only (no model): real Kestrel on a free loopback port,
/// the demo shop's order API beside it, data and a copy of the demo's word lists in a temp folder (so adding a word
/// never edits the repository), and two agent accounts: an agent and an admin.
/// </summary>
internal sealed class KefuTestServer : DemoServer
{
    public const string ApiKey = "browser-test-key";
    public const string AgentName = "wang";
    public const string AgentPassword = "wang-password-1";
    public const string AdminName = "boss";
    public const string AdminPassword = "boss-password-1";

    private KefuTestServer(DemoDeployment demo, WebApplication app)
        : base(demo, app)
    {
    }

    /// <summary>The word-list manifest the server uses (a copy of the demo's).</summary>
    public string LexiconPath => Path.Combine(DataDirectory, "safety", "lexicon.json");

    public static async Task<KefuTestServer> StartAsync(Action<KefuServerOptions>? configure = null)
    {
        var (demo, app) = await StartDemoAsync("the browser tests", Options, configure, host: null, TestContext.Current.CancellationToken);
        return new KefuTestServer(demo, app);
    }

    /// <summary>A client with the operator's API key, or none.</summary>
    public HttpClient Client(bool withKey = false) => Client(withKey ? ApiKey : null);

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

    // The operator key, the two accounts, and a copy of the demo's word lists in the data folder.
    private static KefuServerOptions Options(DemoDeployment demo)
    {
        var safety = Path.Combine(demo.DataDirectory, "safety");
        Directory.CreateDirectory(safety);
        foreach (var file in Directory.GetFiles(Path.Combine(demo.Samples, "safety")))
            File.Copy(file, Path.Combine(safety, Path.GetFileName(file)));
        var options = InProcessKefu.Options(demo.DataDirectory, new Kefu.Server.Hosting.ApiKey("operator", ApiKey, Agent: true));
        options.CustomerMessagesPerMinute = 600;
        options.AgentQueuePollInterval = TimeSpan.FromMilliseconds(200);
        options.AgentAccounts =
        [
            new AgentAccount(AgentName, "客服小王", AgentPasswords.Hash(AgentPassword)),
            new AgentAccount(AdminName, "店长", AgentPasswords.Hash(AdminPassword), Admin: true),
        ];
        // Runs after the demo's settings (DemoSetup.Apply chains it last): the copied word lists win.
        options.ConfigureService = service => service.Guardrails.LexiconPath = Path.Combine(safety, "lexicon.json");
        return options;
    }
}
