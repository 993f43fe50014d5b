using Microsoft.Data.Sqlite;

namespace Kefu.Service.Dialogue;

/// <summary>
/// Reads the conversation log in the server's sessions.db (the tables <see cref="SqliteSessionStore"/> writes),
/// read-only, so it can run beside a live server (WAL readers never block the writer).
/// </summary>
public sealed class SqliteConversationLogReader : IConversationLogReader
{
    private readonly string _connectionString;

    private SqliteConversationLogReader(string connectionString) => _connectionString = connectionString;

    /// <summary>Opens <paramref name="databasePath"/> (a sessions.db file); throws <see cref="FileNotFoundException"/> when it is absent.</summary>
    public static SqliteConversationLogReader Open(string databasePath)
    {
        if (!File.Exists(databasePath))
            throw new FileNotFoundException($"{databasePath}: no conversation log here (the server keeps it in sessions.db of its data directory).", databasePath);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString();
        return new SqliteConversationLogReader(connectionString);
    }

    public async Task<IReadOnlyList<LoggedTurn>> TurnsAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        await using var connection = SqliteConnections.Open(_connectionString);
        await using var command = connection.CreateCommand();
        // The question of a turn is the session's last customer message at or before the turn's time: the user
        // message is stamped when the turn starts, the log entry when it ends, and both are saved in one transaction.
        command.CommandText = """
            SELECT t.session_id, t.at, t.intent, t.reason, t.confidence, t.tool_calls, t.resolved, t.handoff, t.latency_ms,
                (SELECT m.content FROM messages m WHERE m.session_id = t.session_id AND m.role = 'user' AND m.at <= t.at
                 ORDER BY m.id DESC LIMIT 1)
            FROM turns t
            WHERE ($from IS NULL OR t.at >= $from) AND ($to IS NULL OR t.at < $to)
            ORDER BY t.at, t.id
            """;
        AddWindow(command, from, to);
        var turns = new List<LoggedTurn>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var entry = new TurnLogEntry(SqliteSessionStore.ParseTime(reader.GetString(1)), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetDouble(4), reader.GetString(5), reader.GetBoolean(6), reader.GetBoolean(7), reader.GetDouble(8));
            turns.Add(new LoggedTurn(reader.GetString(0), reader.IsDBNull(9) ? "" : reader.GetString(9), entry));
        }
        return turns;
    }

    public async Task<IReadOnlyList<LoggedSession>> SessionsAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        await using var connection = SqliteConnections.Open(_connectionString);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, state, created_at, handoff_reason, agent FROM sessions
            WHERE ($from IS NULL OR created_at >= $from) AND ($to IS NULL OR created_at < $to)
            ORDER BY created_at, id
            """;
        AddWindow(command, from, to);
        var sessions = new List<LoggedSession>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            sessions.Add(new LoggedSession(reader.GetString(0), Enum.Parse<SessionState>(reader.GetString(1)),
                SqliteSessionStore.ParseTime(reader.GetString(2)), reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }
        return sessions;
    }

    public async Task<IReadOnlyList<CorrectedAnswer>> CorrectionsAfterAsync(DateTimeOffset? after, CancellationToken cancellationToken)
    {
        await using var connection = SqliteConnections.Open(_connectionString);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT session_id, question, bot_answer, agent_answer, agent, at FROM corrected_answers
            WHERE $after IS NULL OR at > $after ORDER BY at, id
            """;
        command.Parameters.AddWithValue("$after", after is { } a ? SqliteSessionStore.FormatTime(a.ToUniversalTime()) : DBNull.Value);
        var corrections = new List<CorrectedAnswer>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            corrections.Add(new CorrectedAnswer(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.GetString(4), SqliteSessionStore.ParseTime(reader.GetString(5))));
        }
        return corrections;
    }

    // Times are stored as round-trip ISO 8601 in UTC, so string comparison orders them.
    private static void AddWindow(SqliteCommand command, DateTimeOffset? from, DateTimeOffset? to)
    {
        command.Parameters.AddWithValue("$from", from is { } f ? SqliteSessionStore.FormatTime(f.ToUniversalTime()) : DBNull.Value);
        command.Parameters.AddWithValue("$to", to is { } t ? SqliteSessionStore.FormatTime(t.ToUniversalTime()) : DBNull.Value);
    }
}
