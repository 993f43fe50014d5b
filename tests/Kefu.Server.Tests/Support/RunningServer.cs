using Kefu.Server.Hosting;
using Kefu.Testing.Server;
using Microsoft.AspNetCore.Builder;

namespace Kefu.Server.Tests.Support;

/// <summary>
/// The Kefu server as <c>kefu serve --demo</c> runs it — real Kestrel on 127.0.0.1 with a free port, the demo shop
/// API beside it, the demo's knowledge in SQLite in a temp folder — and an HttpClient holding the test's API key.
/// </summary>
internal sealed class RunningServer : DemoServer
{
    public const string Key = "test-agent-key";
    public const string CustomerKey = "test-customer-key";
    public const string SecondAgentKey = "test-agent-key-2";

    private RunningServer(DemoDeployment demo, WebApplication app)
        : base(demo, app) => Http = Client(Key);

    /// <summary>A client holding the first agent key.</summary>
    public HttpClient Http { get; }

    /// <summary>Starts the demo; <paramref name="configure"/> changes its options, <paramref name="host"/> the host (logging).</summary>
    public static async Task<RunningServer> StartDemoAsync(Action<KefuServerOptions>? configure = null, Action<WebApplicationBuilder>? host = null)
    {
        var (demo, app) = await StartDemoAsync("the server tests", demo => InProcessKefu.Options(demo.DataDirectory,
            new ApiKey("agent", Key, Agent: true), new ApiKey("agent2", SecondAgentKey, Agent: true), new ApiKey("customer", CustomerKey, Agent: false)),
            configure, host, TestContext.Current.CancellationToken);
        return new RunningServer(demo, app);
    }

    protected override ValueTask DisposeAsyncCore()
    {
        Http.Dispose();
        return base.DisposeAsyncCore();
    }
}
