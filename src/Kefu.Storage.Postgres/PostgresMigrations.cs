using Npgsql;

namespace Kefu.Storage.Postgres;

/// <summary>
/// Brings a database's schema up to date: the numbered <see cref="All"/> migrations not yet in
/// <c>schema_migrations</c> are applied in order, each in its own transaction together with its record. The whole
/// run holds a PostgreSQL advisory lock, so when two replicas start at once one migrates and the other waits, then
/// finds nothing left to do (concurrent <c>CREATE TABLE IF NOT EXISTS</c> can otherwise fail with a unique
/// violation in the catalog).
/// </summary>
internal static class PostgresMigrations
{
    /// <summary>The advisory lock key: any fixed 64-bit number no other application on the database uses ("kefu-mig").</summary>
    internal const long LockKey = 0x6b6566752d6d6967;

    public static IReadOnlyList<PostgresMigration> All { get; } =
    [
        new(1, "sessions, messages, turn log, corrected answers", PostgresSchema.Sessions),
        new(2, "knowledge base: sources, chunks, bigram postings, vectors", PostgresSchema.Knowledge),
        new(3, "session row versions (optimistic concurrency between replicas)", PostgresSchema.SessionVersions),
        new(4, "shared web key ring (sign-in cookies valid on every replica)", PostgresSchema.KeyRing),
        new(5, "satisfaction ratings, turn log by time (the dashboard)", PostgresSchema.SatisfactionRatings),
    ];

    /// <summary>Applies the pending migrations; returns the versions applied by this call.</summary>
    public static IReadOnlyList<int> Apply(NpgsqlDataSource dataSource) => Apply(dataSource, out _);

    /// <summary>
    /// Applies the pending migrations and enables pgvector when the server has it (see
    /// <see cref="TryEnableVectorExtension"/>); returns the versions applied by this call.
    /// </summary>
    public static IReadOnlyList<int> Apply(NpgsqlDataSource dataSource, out bool hasVectorExtension)
    {
        using var connection = dataSource.OpenConnection();
        Execute(connection, null, $"SELECT pg_advisory_lock({LockKey})");
        try
        {
            Execute(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """);
            var applied = new HashSet<int>();
            using (var select = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                    applied.Add(reader.GetInt32(0));
            }
            var done = new List<int>();
            foreach (var migration in All.Where(m => !applied.Contains(m.Version)).OrderBy(m => m.Version))
            {
                using var transaction = connection.BeginTransaction();
                Execute(connection, transaction, migration.Sql);
                using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES (@version, @name)", connection, transaction))
                {
                    record.Parameters.AddWithValue("version", migration.Version);
                    record.Parameters.AddWithValue("name", migration.Name);
                    record.ExecuteNonQuery();
                }
                transaction.Commit();
                done.Add(migration.Version);
            }
            hasVectorExtension = TryEnableVectorExtension(connection);
            return done;
        }
        finally
        {
            Execute(connection, null, $"SELECT pg_advisory_unlock({LockKey})");
        }
    }

    /// <summary>
    /// pgvector is optional: Debian 12 does not package it for PostgreSQL 15, and a managed database may not allow
    /// it. When the server offers it and this role may create it, it is enabled (under the migration lock, as
    /// concurrent CREATE EXTENSION races too) and nearest-chunk search runs in SQL over an HNSW index; otherwise chunk
    /// vectors stay real[] and are searched exactly in the application.
    /// </summary>
    private static bool TryEnableVectorExtension(NpgsqlConnection connection)
    {
        using (var available = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector')", connection))
        {
            if (!(bool)available.ExecuteScalar()!)
                return false;
        }
        try
        {
            Execute(connection, null, "CREATE EXTENSION IF NOT EXISTS vector");
        }
        catch (PostgresException)
        {
            // No privilege to create it: fine, unless someone else already did.
        }
        using var installed = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector')", connection);
        return (bool)installed.ExecuteScalar()!;
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }
}
