using System.Net.Http.Headers;
using Kefu.Server.DemoShop;
using Kefu.Server.Hosting;
using Kefu.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
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

    private readonly TempDirectory _temp;
    private readonly DemoShopHost _shop;
    private readonly List<WebApplication> _replicas;

    private ReplicaSet(TempDirectory temp, DemoShopHost shop, List<WebApplication> replicas, List<Uri> addresses, RoundRobinProxy proxy)
    {
        _temp = temp;
        _shop = shop;
        _replicas = replicas;
        ReplicaAddresses = addresses;
        Proxy = proxy;
    }

    /// <summary>An agent account every replica knows, and its password.</summary>
    public const string AgentName = "lin";
    public const string AgentPassword = "replica-test-password";

    private static readonly Kefu.Server.Auth.AgentAccount Agent = new(AgentName, "客服小林", Kefu.Server.Auth.AgentPasswords.Hash(AgentPassword));

    public RoundRobinProxy Proxy { get; }

    public IReadOnlyList<Uri> ReplicaAddresses { get; }

    public static async Task<ReplicaSet> StartAsync(string? connectionString, int replicas = 2, Action<KefuServerOptions>? configure = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var samples = DemoSetup.FindSamples(Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce"));
        if (samples is null)
            Assert.Skip("samples/ecommerce is absent; the replica tests run the demo shop.");
        var temp = new TempDirectory();
        var shop = await DemoSetup.StartShopAsync(samples, temp.Path, ct);
        // Started together, as an orchestrator would: migrations and the knowledge import race on the database.
        var apps = await Task.WhenAll(Enumerable.Range(0, replicas).Select(i => StartReplicaAsync(samples, temp.File($"replica{i}"), shop, connectionString, configure, ct)));
        var addresses = apps.Select(app =>
            new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/")).ToList();
        var proxy = await RoundRobinProxy.StartAsync(addresses, ct);
        return new ReplicaSet(temp, shop, [.. apps], addresses, proxy);
    }

    private static async Task<WebApplication> StartReplicaAsync(
        string samples, string dataDirectory, DemoShopHost shop, string? connectionString, Action<KefuServerOptions>? configure, CancellationToken ct)
    {
        var options = new KefuServerOptions
        {
            Urls = ["http://127.0.0.1:0"],
            DataDirectory = dataDirectory,
            DatabaseConnectionString = connectionString,
            ApiKeys = [new ApiKey("agent1", AgentKey, Agent: true), new ApiKey("agent2", SecondAgentKey, Agent: true), new ApiKey("customer", CustomerKey, Agent: false)],
            RequestsPerMinutePerKey = 100_000,
            MeterName = "Kefu.Service.Replica" + Guid.NewGuid().ToString("N"),
            AgentAccounts = [Agent],
        };
        DemoSetup.Apply(options, samples, shop);
        configure?.Invoke(options);
        var app = await KefuServer.BuildAsync(options, builder => builder.Logging.SetMinimumLevel(LogLevel.Error), ct);
        await app.StartAsync(ct);
        return app;
    }

    /// <summary>A client of the proxy sending <paramref name="apiKey"/>.</summary>
    public HttpClient Client(string apiKey)
    {
        var http = new HttpClient { BaseAddress = Proxy.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        foreach (var app in _replicas)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        await _shop.DisposeAsync();
        _temp.Dispose();
    }
}
