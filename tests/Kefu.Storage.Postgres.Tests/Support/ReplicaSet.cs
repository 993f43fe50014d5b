using Kefu.Server.Auth;
using Kefu.Server.Hosting;
using Kefu.Testing.Server;
using Microsoft.Extensions.Logging;

namespace Kefu.Storage.Postgres.Tests.Support;

/// <summary>
/// Several Kefu servers as <c>kefu serve --demo --database ...</c> runs them — real Kestrel on loopback, each with its
/// own data folder, connection pool and process-local state — sharing nothing but one PostgreSQL database (and the
/// demo shop's order API), behind a <see cref="RoundRobinProxy"/>. Without a connection string each replica keeps its
/// own SQLite files (only meaningful with one replica: the baseline).
/// </summary>
internal sealed class ReplicaSet : IAsyncDisposable
{
    public const string AgentKey = "replica-agent-key";
    public const string SecondAgentKey = "replica-agent-key-2";
    public const string CustomerKey = "replica-customer-key";

    /// <summary>An agent account every replica knows, and its password.</summary>
    public const string AgentName = "lin";
    public const string AgentPassword = "replica-test-password";

    private static readonly AgentAccount Agent = new(AgentName, "客服小林", AgentPasswords.Hash(AgentPassword));

    private readonly DemoDeployment _demo;

    private ReplicaSet(DemoDeployment demo, List<Uri> addresses, RoundRobinProxy proxy)
    {
        _demo = demo;
        ReplicaAddresses = addresses;
        Proxy = proxy;
    }

    public RoundRobinProxy Proxy { get; }

    public IReadOnlyList<Uri> ReplicaAddresses { get; }

    public static async Task<ReplicaSet> StartAsync(string? connectionString, int replicas = 2, Action<KefuServerOptions>? configure = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var demo = await DemoDeployment.StartShopAsync("the replica tests", ct);
        try
        {
            // Started together, as an orchestrator would: migrations and the knowledge import race on the database.
            var apps = await Task.WhenAll(Enumerable.Range(0, replicas).Select(i =>
            {
                var options = InProcessKefu.Options(demo.Temp.File($"replica{i}"),
                    new ApiKey("agent1", AgentKey, Agent: true), new ApiKey("agent2", SecondAgentKey, Agent: true), new ApiKey("customer", CustomerKey, Agent: false));
                options.DatabaseConnectionString = connectionString;
                options.AgentAccounts = [Agent];
                return demo.StartServerAsync(options, configure, host: builder => builder.Logging.SetMinimumLevel(LogLevel.Error), ct);
            }));
            var addresses = apps.Select(LoopbackApp.AddressOf).ToList();
            return new ReplicaSet(demo, addresses, await RoundRobinProxy.StartAsync(addresses, ct));
        }
        catch
        {
            await demo.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of the proxy sending <paramref name="apiKey"/>.</summary>
    public HttpClient Client(string apiKey) => InProcessKefu.Client(Proxy.Address, apiKey);

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await _demo.DisposeAsync();
    }
}
