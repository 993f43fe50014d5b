using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Kefu.Service.Dialogue;

/// <summary>
/// Sessions, their messages and the per-turn conversation log in one SQLite file (WAL, so readers never wait for
/// the writer). Only the most recent <see cref="LoadedMessages"/> messages are loaded with a session: the history
/// window needs the tail, never the whole conversation.
/// </summary>
public sealed class SqliteSessionStore : ISessionStore, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _connectionString;
    private readonly TimeProvider _time;

    // One writer at a time inside the process: SQLite allows one anyway, and Microsoft.Data.Sqlite answers a busy
    // database by sleeping in coarse steps, which under 50 concurrent sessions turned 3 ms turns into 500 ms ones.
    private readonly SemaphoreSlim _writer = new(1, 1);

    private SqliteSessionStore(string connectionString, TimeProvider time, int loadedMessages)
    {
        _connectionString = connectionString;
        _time = time;
        LoadedMessages = loadedMessages;
    }

    /// <summary>How many recent messages are loaded with a session.</summary>
    public int LoadedMessages { get; }

    public static SqliteSessionStore Open(string databasePath, TimeProvider time, int loadedMessages = 60)
    {
        var connectionString = SqliteDatabaseFile.ConnectionString(databasePath);
        var store = new SqliteSessionStore(connectionString, time, loadedMessages);
        using var connection = store.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS sessions (
                id TEXT PRIMARY KEY,
                state TEXT NOT NULL,
                slots TEXT NOT NULL,
                unresolved INTEGER NOT NULL,
                pending TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS sessions_by_state ON sessions(state, updated_at);
            CREATE TABLE IF NOT EXISTS messages (
                id INTEGER PRIMARY KEY,
                session_id TEXT NOT NULL,
                role TEXT NOT NULL,
                content TEXT NOT NULL,
                at TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS messages_by_session ON messages(session_id, id);
            CREATE TABLE IF NOT EXISTS turns (
                id INTEGER PRIMARY KEY,
                session_id TEXT NOT NULL,
                at TEXT NOT NULL,
                intent TEXT NOT NULL,
                reason TEXT NOT NULL,
                confidence REAL,
                tool_calls TEXT NOT NULL,
                resolved INTEGER NOT NULL,
                handoff INTEGER NOT NULL,
                latency_ms REAL NOT NULL);
            CREATE TABLE IF NOT EXISTS corrected_answers (
                id INTEGER PRIMARY KEY,
                session_id TEXT NOT NULL,
                question TEXT NOT NULL,
                bot_answer TEXT,
                agent_answer TEXT NOT NULL,
                agent TEXT NOT NULL,
                at TEXT NOT NULL);
            """;
        command.ExecuteNonQuery();
        SqliteSessionStoreSchema.AddHandoffColumns(connection);
        return store;
    }

    public async Task<Session> CreateAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var session = new Session { Id = NewId(), CreatedAt = now, UpdatedAt = now };
        await SaveAsync(session, [], null, cancellationToken).ConfigureAwait(false);
        return session;
    }

    public async Task<Session?> FindAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT state, slots, unresolved, pending, created_at, updated_at, queued_at, handoff_reason, agent FROM sessions WHERE id = $id;
            SELECT role, content, at, seq, users FROM (
                SELECT id, role, content, at, ROW_NUMBER() OVER (ORDER BY id) AS seq, SUM(role = 'user') OVER (ORDER BY id) AS users
                FROM messages WHERE session_id = $id ORDER BY id DESC LIMIT $limit)
            ORDER BY id;
            """;
        command.Parameters.AddWithValue("$id", sessionId);
        command.Parameters.AddWithValue("$limit", LoadedMessages);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            return null;
        var session = ReadSession(sessionId, reader);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        // The counts come with the tail, from one statement (one snapshot): a message stored meanwhile cannot shift them.
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            session.Messages.Add(new SessionMessage(reader.GetString(0), reader.GetString(1), ParseTime(reader.GetString(2))));
            session.MessageCount = reader.GetInt32(3);
            session.CustomerTurns = reader.GetInt32(4);
        }
        return session;
    }

    public async Task SaveAsync(Session session, IReadOnlyList<SessionMessage> newMessages, TurnLogEntry? log, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteAsync(session, newMessages, log, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task WriteAsync(Session session, IReadOnlyList<SessionMessage> newMessages, TurnLogEntry? log, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        await using var transaction = connection.BeginTransaction();
        await using (var upsert = connection.CreateCommand())
        {
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO sessions (id, state, slots, unresolved, pending, created_at, updated_at, queued_at, handoff_reason, agent)
                VALUES ($id, $state, $slots, $unresolved, $pending, $created, $updated, $queued, $reason, $agent)
                ON CONFLICT(id) DO UPDATE SET state = $state, slots = $slots, unresolved = $unresolved,
                    pending = $pending, updated_at = $updated, queued_at = $queued, handoff_reason = $reason, agent = $agent
                """;
            upsert.Parameters.AddWithValue("$id", session.Id);
            upsert.Parameters.AddWithValue("$state", session.State.ToString());
            upsert.Parameters.AddWithValue("$slots", JsonSerializer.Serialize(session.Slots, Json));
            upsert.Parameters.AddWithValue("$unresolved", session.UnresolvedTurns);
            upsert.Parameters.AddWithValue("$pending", session.Pending is null ? DBNull.Value : JsonSerializer.Serialize(session.Pending, Json));
            upsert.Parameters.AddWithValue("$created", FormatTime(session.CreatedAt));
            upsert.Parameters.AddWithValue("$updated", FormatTime(session.UpdatedAt));
            upsert.Parameters.AddWithValue("$queued", session.QueuedAt is { } queued ? FormatTime(queued) : DBNull.Value);
            upsert.Parameters.AddWithValue("$reason", (object?)session.HandoffReason ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$agent", (object?)session.AssignedAgent ?? DBNull.Value);
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        foreach (var message in newMessages)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO messages (session_id, role, content, at) VALUES ($id, $role, $content, $at)";
            insert.Parameters.AddWithValue("$id", session.Id);
            insert.Parameters.AddWithValue("$role", message.Role);
            insert.Parameters.AddWithValue("$content", message.Content);
            insert.Parameters.AddWithValue("$at", FormatTime(message.At));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        if (log is not null)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO turns (session_id, at, intent, reason, confidence, tool_calls, resolved, handoff, latency_ms)
                VALUES ($id, $at, $intent, $reason, $confidence, $tools, $resolved, $handoff, $latency)
                """;
            insert.Parameters.AddWithValue("$id", session.Id);
            insert.Parameters.AddWithValue("$at", FormatTime(log.At));
            insert.Parameters.AddWithValue("$intent", log.Intent);
            insert.Parameters.AddWithValue("$reason", log.Reason);
            insert.Parameters.AddWithValue("$confidence", log.Confidence is { } c ? c : DBNull.Value);
            insert.Parameters.AddWithValue("$tools", log.ToolCallsJson);
            insert.Parameters.AddWithValue("$resolved", log.Resolved);
            insert.Parameters.AddWithValue("$handoff", log.Handoff);
            insert.Parameters.AddWithValue("$latency", log.LatencyMilliseconds);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Session>> ListAsync(SessionState state, int limit, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, state, slots, unresolved, pending, created_at, updated_at, queued_at, handoff_reason, agent FROM sessions
            WHERE state = $state ORDER BY COALESCE(queued_at, updated_at) LIMIT $limit
            """;
        command.Parameters.AddWithValue("$state", state.ToString());
        command.Parameters.AddWithValue("$limit", limit);
        var sessions = new List<Session>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            sessions.Add(ReadSession(reader.GetString(0), reader, offset: 1));
        return sessions;
    }

    public async Task<int> QueuePositionAsync(Session session, CancellationToken cancellationToken)
    {
        if (session.QueuedAt is not { } queuedAt)
            return 0;
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sessions WHERE state = $state AND queued_at < $queued AND id <> $id";
        command.Parameters.AddWithValue("$state", nameof(SessionState.WaitingForHuman));
        command.Parameters.AddWithValue("$queued", FormatTime(queuedAt));
        command.Parameters.AddWithValue("$id", session.Id);
        var ahead = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        return ahead + 1;
    }

    public async Task<bool> TryClaimAsync(string sessionId, string agent, CancellationToken cancellationToken)
    {
        // A conditional update, not read-check-write: of two agents (on any replica) claiming at once, one row
        // update wins and the other sees zero rows changed.
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = OpenConnection();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                UPDATE sessions SET state = $human, agent = $agent, updated_at = $now
                WHERE id = $id AND state = $waiting
                """;
            command.Parameters.AddWithValue("$human", nameof(SessionState.Human));
            command.Parameters.AddWithValue("$waiting", nameof(SessionState.WaitingForHuman));
            command.Parameters.AddWithValue("$agent", agent);
            command.Parameters.AddWithValue("$now", FormatTime(_time.GetUtcNow()));
            command.Parameters.AddWithValue("$id", sessionId);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
        finally
        {
            _writer.Release();
        }
    }

    public Task<SessionHistory> HistoryAsync(string sessionId, CancellationToken cancellationToken) =>
        SqliteSessionStoreSchema.ReadHistoryAsync(OpenConnection(), sessionId, cancellationToken);

    public async Task SaveCorrectionAsync(CorrectedAnswer correction, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = OpenConnection();
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO corrected_answers (session_id, question, bot_answer, agent_answer, agent, at)
                VALUES ($id, $question, $bot, $answer, $agent, $at)
                """;
            insert.Parameters.AddWithValue("$id", correction.SessionId);
            insert.Parameters.AddWithValue("$question", correction.Question);
            insert.Parameters.AddWithValue("$bot", (object?)correction.BotAnswer ?? DBNull.Value);
            insert.Parameters.AddWithValue("$answer", correction.AgentAnswer);
            insert.Parameters.AddWithValue("$agent", correction.Agent);
            insert.Parameters.AddWithValue("$at", FormatTime(correction.At));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writer.Release();
        }
    }

    public Task<IReadOnlyList<CorrectedAnswer>> CorrectionsAsync(int limit, CancellationToken cancellationToken) =>
        SqliteSessionStoreSchema.ReadCorrectionsAsync(OpenConnection(), limit, cancellationToken);

    private static Session ReadSession(string id, SqliteDataReader reader, int offset = 0) =>
        new()
        {
            Id = id,
            State = Enum.Parse<SessionState>(reader.GetString(offset)),
            Slots = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(offset + 1), Json) ?? [],
            UnresolvedTurns = reader.GetInt32(offset + 2),
            Pending = reader.IsDBNull(offset + 3) ? null : JsonSerializer.Deserialize<PendingAction>(reader.GetString(offset + 3), Json),
            CreatedAt = ParseTime(reader.GetString(offset + 4)),
            UpdatedAt = ParseTime(reader.GetString(offset + 5)),
            QueuedAt = reader.IsDBNull(offset + 6) ? null : ParseTime(reader.GetString(offset + 6)),
            HandoffReason = reader.IsDBNull(offset + 7) ? null : reader.GetString(offset + 7),
            AssignedAgent = reader.IsDBNull(offset + 8) ? null : reader.GetString(offset + 8),
        };

    // 128 random bits: a session id is a capability (it reveals the conversation), so it must not be guessable.
    private static string NewId() => "s_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    internal static string FormatTime(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    internal static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private SqliteConnection OpenConnection() => SqliteConnections.Open(_connectionString);

    public void Dispose() => _writer.Dispose();
}
