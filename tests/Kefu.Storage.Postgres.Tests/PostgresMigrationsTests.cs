using Kefu.Storage.Postgres.Tests.Support;
using Npgsql;

namespace Kefu.Storage.Postgres.Tests;

public sealed class PostgresMigrationsTests(SharedPostgresCluster cluster)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Open_ManyReplicasStartingTogetherOnAnEmptyDatabase_EachMigrationIsAppliedOnce()
    {
        var connectionString = await cluster.CreateDatabaseAsync();

        // Eight replicas start at once; without the advisory lock, concurrent CREATE TABLE IF NOT EXISTS can fail.
        var databases = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => PostgresDatabase.Open(connectionString), Ct)));

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT version, count(*) FROM schema_migrations GROUP BY version ORDER BY version", connection);
        var rows = new List<(int Version, long Count)>();
        await using (var reader = await command.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
                rows.Add((reader.GetInt32(0), reader.GetInt64(1)));
        }
        rows.ShouldBe(PostgresMigrations.All.Select(m => (m.Version, 1L)));
        foreach (var database in databases)
            await database.DisposeAsync();
    }

    [Fact]
    public async Task Open_AlreadyMigratedDatabase_AppliesNothing()
    {
        var connectionString = await cluster.CreateDatabaseAsync();
        PostgresDatabase.Open(connectionString).Dispose();

        await using var dataSource = NpgsqlDataSource.Create(connectionString);

        PostgresMigrations.Apply(dataSource).ShouldBeEmpty();
    }

    [Fact]
    public void Open_MalformedConnectionString_SaysSo() =>
        Should.Throw<ArgumentException>(() => PostgresDatabase.Open("Host=127.0.0.1;Nonsense Key=1")).Message.ShouldContain("connection string is malformed");
}
