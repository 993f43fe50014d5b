using Microsoft.Data.Sqlite;

namespace Kefu.Service.Dialogue;

/// <summary>The session store's schema upgrades and its read-only queries for agents and the learning loop.</summary>
internal static class SqliteSessionStoreSchema
{
    private static readonly string[] HandoffColumns = ["queued_at", "handoff_reason", "agent"];

    /// <summary>Adds the hand-off columns to a sessions table created before they existed.</summary>
    public static void AddHandoffColumns(SqliteConnection connection)
    {
        var existing = new HashSet<string>(StringComparer.Ordinal);
        using (var info = connection.CreateCommand())
        {
            info.CommandText = "PRAGMA table_info(sessions)";
            using var reader = info.ExecuteReader();
            while (reader.Read())
                existing.Add(reader.GetString(1));
        }
        foreach (var column in HandoffColumns.Where(c => !existing.Contains(c)))
        {
            using var alter = connection.CreateCommand();
            alter.CommandText = $"ALTER TABLE sessions ADD COLUMN {column} TEXT";
            alter.ExecuteNonQuery();
        }
    }

    public static async Task<SessionHistory> ReadHistoryAsync(SqliteConnection connection, string sessionId, CancellationToken cancellationToken)
    {
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT role, content, at FROM messages WHERE session_id = $id ORDER BY id;
                SELECT at, intent, reason, confidence, tool_calls, resolved, handoff, latency_ms FROM turns WHERE session_id = $id ORDER BY id;
                """;
            command.Parameters.AddWithValue("$id", sessionId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var messages = new List<SessionMessage>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                messages.Add(new SessionMessage(reader.GetString(0), reader.GetString(1), SqliteSessionStore.ParseTime(reader.GetString(2))));
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            var turns = new List<TurnLogEntry>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                turns.Add(new TurnLogEntry(
                    SqliteSessionStore.ParseTime(reader.GetString(0)), reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetDouble(3), reader.GetString(4), reader.GetBoolean(5), reader.GetBoolean(6), reader.GetDouble(7)));
            }
            return new SessionHistory(messages, turns);
        }
    }

    public static async Task<IReadOnlyList<CorrectedAnswer>> ReadCorrectionsAsync(SqliteConnection connection, int limit, CancellationToken cancellationToken)
    {
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT session_id, question, bot_answer, agent_answer, agent, at FROM corrected_answers ORDER BY id DESC LIMIT $limit";
            command.Parameters.AddWithValue("$limit", limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var corrections = new List<CorrectedAnswer>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                corrections.Add(new CorrectedAnswer(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetString(3), reader.GetString(4), SqliteSessionStore.ParseTime(reader.GetString(5))));
            }
            return corrections;
        }
    }
}
