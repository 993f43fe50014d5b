namespace Kefu.Storage.Postgres.Tests.Support;

/// <summary>
/// The base of test classes whose tests each get two fresh replicas (<see cref="ReplicaSet"/>) on a fresh database
/// of the shared cluster, stopped after the test.
/// </summary>
public abstract class TwoReplicaTests(SharedPostgresCluster cluster) : IAsyncLifetime
{
    private ReplicaSet? _replicas;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected SharedPostgresCluster Cluster => cluster;

    private protected ReplicaSet Replicas => _replicas!;

    public async ValueTask InitializeAsync() => _replicas = await ReplicaSet.StartAsync(await cluster.CreateDatabaseAsync());

    public async ValueTask DisposeAsync()
    {
        if (_replicas is not null)
            await _replicas.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
