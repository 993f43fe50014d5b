using Kefu.Service.Dialogue;
using Npgsql;

namespace Kefu.Storage.Postgres;

/// <summary>The session store's read-only queries for agents and the learning loop.</summary>
internal static class PostgresSessionQueries
{
    public static async Task<SessionHistory> ReadHistoryAsync(NpgsqlConnection connection, string sessionId, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        var messagesQuery = new NpgsqlBatchCommand("SELECT role, content, at FROM messages WHERE session_id = @id ORDER BY id");
        messagesQuery.Parameters.AddWithValue("id", PostgresText.Clean(sessionId));
        var turnsQuery = new NpgsqlBatchCommand(
            "SELECT at, intent, reason, confidence, tool_calls, resolved, handoff, latency_ms FROM turns WHERE session_id = @id ORDER BY id");
        turnsQuery.Parameters.AddWithValue("id", PostgresText.Clean(sessionId));
        batch.BatchCommands.Add(messagesQuery);
        batch.BatchCommands.Add(turnsQuery);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var messages = new List<SessionMessage>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            messages.Add(new SessionMessage(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var turns = new List<TurnLogEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            turns.Add(new TurnLogEntry(
                reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetDouble(3),
                reader.GetString(4), reader.GetBoolean(5), reader.GetBoolean(6), reader.GetDouble(7)));
        }
        return new SessionHistory(messages, turns);
    }

    public static async Task<IReadOnlyList<CorrectedAnswer>> ReadCorrectionsAsync(NpgsqlConnection connection, int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT session_id, question, bot_answer, agent_answer, agent, at FROM corrected_answers ORDER BY id DESC LIMIT @limit", connection);
        command.Parameters.AddWithValue("limit", Math.Max(0, limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var corrections = new List<CorrectedAnswer>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            corrections.Add(new CorrectedAnswer(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5)));
        }
        return corrections;
    }
}
