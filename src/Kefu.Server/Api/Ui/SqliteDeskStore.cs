using System.Globalization;
using Kefu.Service;
using Microsoft.Data.Sqlite;

namespace Kefu.Server.Api.Ui;

/// <summary>
/// <see cref="IDeskStore"/> in the session store's SQLite file (sessions.db): ratings in their own table, the dashboard's figures
/// read from the conversation log (<c>turns</c>, <c>messages</c>) that <c>SqliteSessionStore</c> writes.
/// </summary>
internal sealed class SqliteDeskStore : IDeskStore
{
    private readonly string _connectionString;

    // Whether the file holds the conversation log: not when the sessions live elsewhere (a file of ratings only; with
    // PostgreSQL the server registers PostgresDeskStore instead, see ServerBuilderExtensions).
    private bool _hasLog;

    private SqliteDeskStore(string connectionString) => _connectionString = connectionString;

    public static SqliteDeskStore Open(string databasePath)
    {
        var store = new SqliteDeskStore(SqliteDatabaseFile.ConnectionString(databasePath));
        using var connection = store.OpenConnection();
        using var command = connection.CreateCommand();
        // The log tables (turns, messages) are the session store's: it is opened before this one (see UiServices).
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS satisfaction_ratings (
                session_id TEXT PRIMARY KEY,
                score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
                comment TEXT,
                at TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS satisfaction_ratings_by_time ON satisfaction_ratings(at);
            """;
        command.ExecuteNonQuery();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('turns', 'messages')";
        store._hasLog = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 2;
        if (store._hasLog)
        {
            command.CommandText = "CREATE INDEX IF NOT EXISTS turns_by_time ON turns(at)";
            command.ExecuteNonQuery();
        }
        return store;
    }

    public async Task SaveRatingAsync(SatisfactionRating rating, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO satisfaction_ratings (session_id, score, comment, at) VALUES ($id, $score, $comment, $at)
            ON CONFLICT(session_id) DO UPDATE SET score = $score, comment = $comment, at = $at
            """;
        command.Parameters.AddWithValue("$id", rating.SessionId);
        command.Parameters.AddWithValue("$score", rating.Score);
        command.Parameters.AddWithValue("$comment", (object?)rating.Comment ?? DBNull.Value);
        command.Parameters.AddWithValue("$at", Format(rating.At));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SatisfactionRating>> RatingsAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT session_id, score, comment, at FROM satisfaction_ratings WHERE at >= $since ORDER BY at";
        command.Parameters.AddWithValue("$since", Format(since));
        var ratings = new List<SatisfactionRating>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            ratings.Add(new SatisfactionRating(reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2), Parse(reader.GetString(3))));
        return ratings;
    }

    public async Task<IReadOnlyList<DeskTurn>> TurnsAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        if (!_hasLog)
            return [];
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT at, session_id, intent, resolved, handoff, latency_ms, tool_calls FROM (
                SELECT id, at, session_id, intent, resolved, handoff, latency_ms, tool_calls FROM turns
                WHERE at >= $since ORDER BY id DESC LIMIT $limit)
            ORDER BY id
            """;
        command.Parameters.AddWithValue("$since", Format(since));
        command.Parameters.AddWithValue("$limit", limit);
        var turns = new List<DeskTurn>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            turns.Add(new DeskTurn(Parse(reader.GetString(0)), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), reader.GetBoolean(4),
                reader.GetDouble(5), reader.GetString(6)));
        }
        return turns;
    }

    public async Task<IReadOnlyList<UnansweredTurn>> UnansweredAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        if (!_hasLog)
            return [];
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        // A turn's question is its session's last customer message at or before the turn was logged. Turns while a
        // person has the conversation ('human') are the agent's to answer, and "转人工" itself ('human_request') asks
        // for no answer: neither is a bot's miss.
        command.CommandText = """
            SELECT t.at, t.session_id, t.handoff,
                (SELECT m.content FROM messages m WHERE m.session_id = t.session_id AND m.role = 'user' AND m.at <= t.at ORDER BY m.id DESC LIMIT 1)
            FROM turns t
            WHERE t.at >= $since AND t.intent NOT IN ('human', 'human_request') AND (t.resolved = 0 OR t.handoff = 1)
            ORDER BY t.id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$since", Format(since));
        command.Parameters.AddWithValue("$limit", limit);
        var turns = new List<UnansweredTurn>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!reader.IsDBNull(3))
                turns.Add(new UnansweredTurn(Parse(reader.GetString(0)), reader.GetString(1), reader.GetString(3), reader.GetBoolean(2)));
        }
        return turns;
    }

    // The session store writes times as round-trip strings in UTC, so text order is time order.
    private static string Format(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 10000;";
        pragma.ExecuteNonQuery();
        return connection;
    }
}
