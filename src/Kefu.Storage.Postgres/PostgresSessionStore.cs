using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Kefu.Service.Dialogue;
using Npgsql;
using NpgsqlTypes;

namespace Kefu.Storage.Postgres;

/// <summary>
/// Sessions, their messages, the per-turn conversation log, the agent queue and corrected answers in PostgreSQL,
/// shared by every replica: the same contract as <see cref="SqliteSessionStore"/>. A turn's state, messages and log
/// entry are written in one transaction; claims are one conditional UPDATE, so of two agents claiming at once on
/// any replicas exactly one wins. Each session row has a version: a session saved from a copy loaded before another
/// write (an agent's claim, a turn on another replica) still gets its messages and log entry appended, but does not
/// overwrite the newer state — the first writer wins, and no message is lost.
/// </summary>
public sealed class PostgresSessionStore : ISessionStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly PostgresDatabase _database;
    private readonly TimeProvider _time;

    // The row version and state each Session object was read or last written at (the Session type is shared with
    // SQLite and has no place for them); entries go with the objects.
    private readonly ConditionalWeakTable<Session, StrongBox<Stamp>> _versions = new();

    public PostgresSessionStore(PostgresDatabase database, TimeProvider time, int loadedMessages = 60)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(loadedMessages, 1);
        _database = database;
        _time = time;
        LoadedMessages = loadedMessages;
    }

    /// <summary>How many recent messages are loaded with a session.</summary>
    public int LoadedMessages { get; }

    public async Task<Session> CreateAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var session = new Session { Id = NewId(), CreatedAt = now, UpdatedAt = now };
        await SaveAsync(session, [], null, cancellationToken).ConfigureAwait(false);
        return session;
    }

    public Task<Session?> FindAsync(string sessionId, CancellationToken cancellationToken) =>
        _database.RunAsync(async connection =>
        {
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    Command($"SELECT {SessionColumns} FROM sessions WHERE id = @id", ("id", sessionId)),
                    Command("""
                        SELECT role, content, at, seq, users FROM (
                            SELECT id, role, content, at, (row_number() OVER (ORDER BY id))::int AS seq,
                                (count(*) FILTER (WHERE role = 'user') OVER (ORDER BY id))::int AS users
                            FROM messages WHERE session_id = @id ORDER BY id DESC LIMIT @limit) AS recent
                        ORDER BY id
                        """, ("id", sessionId), ("limit", LoadedMessages)),
                },
            };
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                return null;
            var session = ReadSession(reader);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            // The counts come with the tail, from one statement (one snapshot): a message stored meanwhile cannot shift them.
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                session.Messages.Add(new SessionMessage(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
                session.MessageCount = reader.GetInt32(3);
                session.CustomerTurns = reader.GetInt32(4);
            }
            return (Session?)session;
        }, cancellationToken);

    public Task SaveAsync(Session session, IReadOnlyList<SessionMessage> newMessages, TurnLogEntry? log, CancellationToken cancellationToken) =>
        _database.RunAsync(async connection =>
        {
            // One batch, one round trip: PostgreSQL runs the statements of a batch (one Sync) as one implicit
            // transaction, so the session's state, the turn's messages and its log entry are stored together or not at
            // all (a database that goes away mid-turn leaves no half-written turn).
            await using var batch = new NpgsqlBatch(connection);
            var loaded = _versions.TryGetValue(session, out var stamp) ? stamp.Value : (Stamp?)null;
            batch.BatchCommands.Add(Upsert(session, loaded?.Version));
            foreach (var message in newMessages)
            {
                batch.BatchCommands.Add(Command("INSERT INTO messages (session_id, role, content, at) VALUES (@id, @role, @content, @at)",
                    ("id", session.Id), ("role", message.Role), ("content", message.Content), ("at", Utc(message.At))));
            }
            if (log is not null)
            {
                batch.BatchCommands.Add(Command("""
                    INSERT INTO turns (session_id, at, intent, reason, confidence, tool_calls, resolved, handoff, latency_ms)
                    VALUES (@id, @at, @intent, @reason, @confidence, @tools, @resolved, @handoff, @latency)
                    """,
                    ("id", session.Id), ("at", Utc(log.At)), ("intent", log.Intent), ("reason", log.Reason),
                    ("confidence", log.Confidence is { } c ? c : DBNull.Value), ("tools", log.ToolCallsJson), ("resolved", log.Resolved),
                    ("handoff", log.Handoff), ("latency", log.LatencyMilliseconds)));
            }
            // Delivered on commit, to every replica's PostgresSessionChanges: live followers there see this write at once.
            if (MattersToFollowers(session, loaded?.State, newMessages))
                batch.BatchCommands.Add(Command($"SELECT pg_notify('{PostgresSessionChanges.Channel}', @id)", ("id", PostgresText.Clean(session.Id))));
            bool written;
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                // The upsert returns the new version, or nothing when the row changed since this copy was loaded.
                written = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (written)
                    _versions.AddOrUpdate(session, new StrongBox<Stamp>(new Stamp(reader.GetInt64(0), session.State)));
                while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
                {
                    // The inserts return no rows; reading on surfaces their errors (the whole batch is then rolled back).
                }
            }
            if (!written)
                await RefreshAsync(connection, session, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// After a refused state write, gives the caller's copy the state that won (so what it reports — the session
    /// returned to an agent, the state in a turn's reply — is what is stored, not what it had tried to write).
    /// </summary>
    private async Task RefreshAsync(NpgsqlConnection connection, Session session, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {SessionColumns} FROM sessions WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", PostgresText.Clean(session.Id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            return;
        var current = ReadSession(reader);
        session.State = current.State;
        session.Slots.Clear();
        foreach (var (name, value) in current.Slots)
            session.Slots[name] = value;
        session.UnresolvedTurns = current.UnresolvedTurns;
        session.Pending = current.Pending;
        session.QueuedAt = current.QueuedAt;
        session.HandoffReason = current.HandoffReason;
        session.AssignedAgent = current.AssignedAgent;
        session.UpdatedAt = current.UpdatedAt;
        _versions.AddOrUpdate(session, _versions.GetValue(current, _ => new StrongBox<Stamp>(new Stamp(0, current.State))));
    }

    public Task<IReadOnlyList<Session>> ListAsync(SessionState state, int limit, CancellationToken cancellationToken) =>
        _database.RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(
                $"SELECT {SessionColumns} FROM sessions WHERE state = @state ORDER BY coalesce(queued_at, updated_at), id LIMIT @limit", connection);
            command.Parameters.AddWithValue("state", state.ToString());
            command.Parameters.AddWithValue("limit", Math.Max(0, limit));
            var sessions = new List<Session>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                sessions.Add(ReadSession(reader));
            return (IReadOnlyList<Session>)sessions;
        }, cancellationToken);

    public async Task<int> QueuePositionAsync(Session session, CancellationToken cancellationToken)
    {
        if (session.QueuedAt is not { } queuedAt)
            return 0;
        var ahead = await _database.RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM sessions WHERE state = @state AND queued_at < @queued AND id <> @id", connection);
            command.Parameters.AddWithValue("state", nameof(SessionState.WaitingForHuman));
            command.Parameters.AddWithValue("queued", Utc(queuedAt));
            command.Parameters.AddWithValue("id", session.Id);
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken).ConfigureAwait(false);
        return (int)ahead + 1;
    }

    public Task<bool> TryClaimAsync(string sessionId, string agent, CancellationToken cancellationToken) =>
        _database.RunAsync(async connection =>
        {
            // A conditional update, not read-check-write: PostgreSQL row-locks the session for the first UPDATE;
            // a concurrent one waits, re-checks the WHERE against the committed row (now 'Human') and changes nothing.
            // The notification (see PostgresSessionChanges) goes out only when this claim won, on its commit.
            await using var command = new NpgsqlCommand($"""
                WITH claimed AS (
                    UPDATE sessions SET state = @human, agent = @agent, updated_at = @now, version = version + 1
                    WHERE id = @id AND state = @waiting
                    RETURNING id)
                SELECT pg_notify('{PostgresSessionChanges.Channel}', id) FROM claimed
                """, connection);
            command.Parameters.AddWithValue("human", nameof(SessionState.Human));
            command.Parameters.AddWithValue("waiting", nameof(SessionState.WaitingForHuman));
            command.Parameters.AddWithValue("agent", PostgresText.Clean(agent));
            command.Parameters.AddWithValue("now", Utc(_time.GetUtcNow()));
            command.Parameters.AddWithValue("id", PostgresText.Clean(sessionId));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<SessionHistory> HistoryAsync(string sessionId, CancellationToken cancellationToken) =>
        _database.RunAsync(connection => PostgresSessionQueries.ReadHistoryAsync(connection, sessionId, cancellationToken), cancellationToken);

    public Task SaveCorrectionAsync(CorrectedAnswer correction, CancellationToken cancellationToken) =>
        _database.RunAsync(async connection =>
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO corrected_answers (session_id, question, bot_answer, agent_answer, agent, at)
                VALUES (@id, @question, @bot, @answer, @agent, @at)
                """, connection);
            insert.Parameters.AddWithValue("id", PostgresText.Clean(correction.SessionId));
            insert.Parameters.AddWithValue("question", PostgresText.Clean(correction.Question));
            insert.Parameters.AddWithValue("bot", (object?)PostgresText.CleanOrNull(correction.BotAnswer) ?? DBNull.Value);
            insert.Parameters.AddWithValue("answer", PostgresText.Clean(correction.AgentAnswer));
            insert.Parameters.AddWithValue("agent", PostgresText.Clean(correction.Agent));
            insert.Parameters.AddWithValue("at", Utc(correction.At));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<IReadOnlyList<CorrectedAnswer>> CorrectionsAsync(int limit, CancellationToken cancellationToken) =>
        _database.RunAsync(connection => PostgresSessionQueries.ReadCorrectionsAsync(connection, limit, cancellationToken), cancellationToken);

    private const string SessionColumns = "id, state, slots, unresolved, pending, created_at, updated_at, queued_at, handoff_reason, agent, version";

    /// <summary>
    /// Inserts the session or updates it — unless <paramref name="loadedVersion"/> is known and the row has moved
    /// past it; returns the row's new version, or no row when the update was refused.
    /// </summary>
    private static NpgsqlBatchCommand Upsert(Session session, long? loadedVersion)
    {
        var command = Command("""
            INSERT INTO sessions (id, state, slots, unresolved, pending, created_at, updated_at, queued_at, handoff_reason, agent, version)
            VALUES (@id, @state, @slots, @unresolved, @pending, @created, @updated, @queued, @reason, @agent, 1)
            ON CONFLICT (id) DO UPDATE SET state = excluded.state, slots = excluded.slots, unresolved = excluded.unresolved,
                pending = excluded.pending, updated_at = excluded.updated_at, queued_at = excluded.queued_at,
                handoff_reason = excluded.handoff_reason, agent = excluded.agent, version = sessions.version + 1
            WHERE @loaded::bigint IS NULL OR sessions.version = @loaded::bigint
            RETURNING version
            """,
            ("id", session.Id), ("state", session.State.ToString()), ("unresolved", session.UnresolvedTurns),
            ("created", Utc(session.CreatedAt)), ("updated", Utc(session.UpdatedAt)),
            ("queued", session.QueuedAt is { } queued ? Utc(queued) : DBNull.Value),
            ("reason", (object?)session.HandoffReason ?? DBNull.Value), ("agent", (object?)session.AssignedAgent ?? DBNull.Value));
        command.Parameters.Add(new NpgsqlParameter("loaded", NpgsqlDbType.Bigint) { Value = loadedVersion is { } version ? version : DBNull.Value });
        var slots = session.Slots.ToDictionary(s => PostgresText.Clean(s.Key), s => PostgresText.Clean(s.Value), StringComparer.Ordinal);
        command.Parameters.Add(new NpgsqlParameter("slots", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(slots, Json) });
        var pending = session.Pending is not { } p ? null : new PendingAction(
            PostgresText.Clean(p.Tool), p.Arguments.ToDictionary(a => PostgresText.Clean(a.Key), a => PostgresText.Clean(a.Value), StringComparer.Ordinal),
            PostgresText.CleanOrNull(p.AwaitingArgument));
        command.Parameters.Add(new NpgsqlParameter("pending", NpgsqlDbType.Jsonb)
        {
            Value = pending is null ? DBNull.Value : JsonSerializer.Serialize(pending, Json),
        });
        return command;
    }

    private Session ReadSession(NpgsqlDataReader reader)
    {
        var session = new Session
        {
            Id = reader.GetString(0),
            State = Enum.Parse<SessionState>(reader.GetString(1)),
            Slots = new Dictionary<string, string>(
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(2), Json) ?? [], StringComparer.Ordinal),
            UnresolvedTurns = reader.GetInt32(3),
            Pending = reader.IsDBNull(4) ? null : JsonSerializer.Deserialize<PendingAction>(reader.GetString(4), Json),
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(5),
            UpdatedAt = reader.GetFieldValue<DateTimeOffset>(6),
            QueuedAt = reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
            HandoffReason = reader.IsDBNull(8) ? null : reader.GetString(8),
            AssignedAgent = reader.IsDBNull(9) ? null : reader.GetString(9),
        };
        _versions.AddOrUpdate(session, new StrongBox<Stamp>(new Stamp(reader.GetInt64(10), session.State)));
        return session;
    }

    /// <summary>
    /// Whether another replica's live followers need to hear of this write: only the agent queue and customers' streams
    /// follow sessions live, and they care about conversations with or going to a person (any state but Bot, or
    /// leaving one) and agents' messages — not the bulk of traffic, bot turns, which would only make them re-read.
    /// </summary>
    private static bool MattersToFollowers(Session session, SessionState? loadedState, IReadOnlyList<SessionMessage> newMessages) =>
        session.State != SessionState.Bot || loadedState is { } before && before != SessionState.Bot
        || newMessages.Any(m => m.Role == SessionMessage.Agent);

    private readonly record struct Stamp(long Version, SessionState State);

    private static NpgsqlBatchCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, PostgresText.Value(value));
        return command;
    }

    // timestamptz takes UTC only (Npgsql refuses other offsets rather than silently converting).
    internal static DateTimeOffset Utc(DateTimeOffset time) => time.ToUniversalTime();

    // 128 random bits: a session id is a capability (it reveals the conversation), so it must not be guessable.
    private static string NewId() => "s_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
