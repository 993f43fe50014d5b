using Kefu.Service.Dialogue;
using Npgsql;

namespace Kefu.Storage.Postgres;

/// <summary>
/// Reads the conversation log that <see cref="PostgresSessionStore"/> writes, for analytics and the learning loop
/// (the same results as <see cref="SqliteConversationLogReader"/> over sessions.db).
/// </summary>
public sealed class PostgresConversationLogReader(PostgresDatabase database) : IConversationLogReader
{
    public Task<IReadOnlyList<LoggedTurn>> TurnsAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            // The question of a turn is the session's last customer message at or before the turn's time: the user
            // message is stamped when the turn starts, the log entry when it ends, and both are saved in one transaction.
            await using var command = new NpgsqlCommand("""
                SELECT t.session_id, t.at, t.intent, t.reason, t.confidence, t.tool_calls, t.resolved, t.handoff, t.latency_ms,
                    (SELECT m.content FROM messages m WHERE m.session_id = t.session_id AND m.role = 'user' AND m.at <= t.at
                     ORDER BY m.id DESC LIMIT 1)
                FROM turns t
                WHERE (@from::timestamptz IS NULL OR t.at >= @from) AND (@to::timestamptz IS NULL OR t.at < @to)
                ORDER BY t.at, t.id
                """, connection);
            AddWindow(command, from, to);
            var turns = new List<LoggedTurn>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var entry = new TurnLogEntry(reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetDouble(4), reader.GetString(5), reader.GetBoolean(6), reader.GetBoolean(7), reader.GetDouble(8));
                turns.Add(new LoggedTurn(reader.GetString(0), reader.IsDBNull(9) ? "" : reader.GetString(9), entry));
            }
            return (IReadOnlyList<LoggedTurn>)turns;
        }, cancellationToken);

    public Task<IReadOnlyList<LoggedSession>> SessionsAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand("""
                SELECT id, state, created_at, handoff_reason, agent FROM sessions
                WHERE (@from::timestamptz IS NULL OR created_at >= @from) AND (@to::timestamptz IS NULL OR created_at < @to)
                ORDER BY created_at, id
                """, connection);
            AddWindow(command, from, to);
            var sessions = new List<LoggedSession>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                sessions.Add(new LoggedSession(reader.GetString(0), Enum.Parse<SessionState>(reader.GetString(1)), reader.GetFieldValue<DateTimeOffset>(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
            }
            return (IReadOnlyList<LoggedSession>)sessions;
        }, cancellationToken);

    public Task<IReadOnlyList<CorrectedAnswer>> CorrectionsAfterAsync(DateTimeOffset? after, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand("""
                SELECT session_id, question, bot_answer, agent_answer, agent, at FROM corrected_answers
                WHERE @after::timestamptz IS NULL OR at > @after ORDER BY at, id
                """, connection);
            command.Parameters.Add(new NpgsqlParameter("after", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = after is { } a ? a.ToUniversalTime() : DBNull.Value });
            var corrections = new List<CorrectedAnswer>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                corrections.Add(new CorrectedAnswer(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetString(3), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5)));
            }
            return (IReadOnlyList<CorrectedAnswer>)corrections;
        }, cancellationToken);

    private static void AddWindow(NpgsqlCommand command, DateTimeOffset? from, DateTimeOffset? to)
    {
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = from is { } f ? f.ToUniversalTime() : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = to is { } t ? t.ToUniversalTime() : DBNull.Value });
    }
}
