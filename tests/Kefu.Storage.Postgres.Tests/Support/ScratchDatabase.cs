using Kefu.Testing;

namespace Kefu.Storage.Postgres.Tests.Support;

/// <summary>
/// A fresh database of one test's own on the shared cluster, and a temp folder beside it for the SQLite side of the
/// tests that compare the two.
/// </summary>
internal sealed class ScratchDatabase : IAsyncDisposable
{
    private ScratchDatabase(PostgresDatabase database) => Database = database;

    public PostgresDatabase Database { get; }

    public TempDirectory Temp { get; } = new();

    public static async Task<ScratchDatabase> CreateAsync(PostgresCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return new ScratchDatabase(PostgresDatabase.Open(await cluster.CreateDatabaseAsync()));
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        Temp.Dispose();
    }
}
