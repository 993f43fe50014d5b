using System.Data.Common;
using Npgsql;

namespace Kefu.Storage.Postgres;

/// <summary>
/// One PostgreSQL database shared by every replica: a pooled <see cref="NpgsqlDataSource"/> whose schema has been
/// brought up to date (<see cref="PostgresMigrations"/>) before any store uses it.
/// </summary>
public sealed class PostgresDatabase : IDisposable, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    private PostgresDatabase(NpgsqlDataSource dataSource, bool hasVectorExtension)
    {
        _dataSource = dataSource;
        HasVectorExtension = hasVectorExtension;
    }

    /// <summary>Whether the pgvector extension is enabled in the database (nearest-chunk search then runs in SQL).</summary>
    public bool HasVectorExtension { get; }

    /// <summary>The data source, for the stores in this assembly and for tests.</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

    /// <summary>
    /// Connects to <paramref name="connectionString"/> (an Npgsql connection string, e.g.
    /// <c>Host=db;Database=kefu;Username=kefu;Password=...</c>) and applies the pending migrations under an advisory
    /// lock, so replicas starting together do not race. Throws <see cref="ArgumentException"/> for a malformed
    /// connection string and <see cref="NpgsqlException"/> when the server cannot be reached.
    /// </summary>
    public static PostgresDatabase Open(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"The database connection string is malformed: {e.Message}", nameof(connectionString), e);
        }
        // Say who we are in pg_stat_activity, unless the operator chose a name.
        parsed.ApplicationName ??= "kefu";
        // Every turn runs the same few statements: prepared once per connection, they skip parsing and planning.
        if (parsed.MaxAutoPrepare == 0)
            parsed.MaxAutoPrepare = 32;
        var dataSource = NpgsqlDataSource.Create(parsed.ConnectionString);
        try
        {
            PostgresMigrations.Apply(dataSource, out var hasVectorExtension);
            return new PostgresDatabase(dataSource, hasVectorExtension);
        }
        catch
        {
            dataSource.Dispose();
            throw;
        }
    }

    /// <summary>
    /// An open connection. When the server is unreachable or restarting, the pool's idle connections are dropped
    /// (they are dead too), so the first request after the server is back gets a fresh connection instead of a
    /// broken one.
    /// </summary>
    internal async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (e.IsTransient)
        {
            _dataSource.Clear();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="operation"/> on a fresh connection; a connection failure part-way clears the pool (see
    /// <see cref="OpenConnectionAsync"/>) and is rethrown for the caller to report as "database unavailable".
    /// </summary>
    internal async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> operation, CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            try
            {
                return await operation(connection).ConfigureAwait(false);
            }
            catch (DbException e) when (IsUnavailable(e))
            {
                _dataSource.Clear();
                throw;
            }
        }
    }

    /// <inheritdoc cref="RunAsync{T}(Func{NpgsqlConnection, Task{T}}, CancellationToken)"/>
    internal Task RunAsync(Func<NpgsqlConnection, Task> operation, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await operation(connection).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Whether an error means the database is (for now) out of reach rather than the request being wrong: a lost
    /// connection, a server shutting down or starting (SQLSTATE classes 08, 57P, 53), or whatever the driver itself
    /// calls transient.
    /// </summary>
    public static bool IsUnavailable(DbException exception) =>
        exception.IsTransient
        || exception.SqlState is { } state && (state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal)
            || state.StartsWith("53", StringComparison.Ordinal));

    public void Dispose() => _dataSource.Dispose();

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
