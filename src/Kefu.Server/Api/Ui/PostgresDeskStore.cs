using Kefu.Storage.Postgres;
using Npgsql;

namespace Kefu.Server.Api.Ui;

/// <summary>
/// <see cref="IDeskStore"/> in PostgreSQL, beside the sessions when they live there: ratings in <c>satisfaction_ratings</c>
/// (migration 5), the dashboard's figures read from the conversation log (<c>turns</c>, <c>messages</c>) that
/// <c>PostgresSessionStore</c> writes. The same queries as <see cref="SqliteDeskStore"/>, so both give the same figures.
/// </summary>
internal sealed class PostgresDeskStore(PostgresDatabase database) : IDeskStore
{
    public Task SaveRatingAsync(SatisfactionRating rating, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO satisfaction_ratings (session_id, score, comment, at) VALUES (@id, @score, @comment, @at)
                ON CONFLICT (session_id) DO UPDATE SET score = excluded.score, comment = excluded.comment, at = excluded.at
                """, connection);
            command.Parameters.AddWithValue("id", PostgresText.Clean(rating.SessionId));
            command.Parameters.AddWithValue("score", rating.Score);
            command.Parameters.AddWithValue("comment", PostgresText.CleanOrNull(rating.Comment) is { } comment ? comment : DBNull.Value);
            command.Parameters.AddWithValue("at", rating.At.ToUniversalTime());
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<IReadOnlyList<SatisfactionRating>> RatingsAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<SatisfactionRating>>(async connection =>
        {
            await using var command = new NpgsqlCommand(
                "SELECT session_id, score, comment, at FROM satisfaction_ratings WHERE at >= @since ORDER BY at", connection);
            command.Parameters.AddWithValue("since", since.ToUniversalTime());
            var ratings = new List<SatisfactionRating>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ratings.Add(new SatisfactionRating(reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetFieldValue<DateTimeOffset>(3)));
            }
            return ratings;
        }, cancellationToken);

    public Task<IReadOnlyList<DeskTurn>> TurnsAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<DeskTurn>>(async connection =>
        {
            await using var command = new NpgsqlCommand("""
                SELECT at, session_id, intent, resolved, handoff, latency_ms, tool_calls FROM (
                    SELECT id, at, session_id, intent, resolved, handoff, latency_ms, tool_calls FROM turns
                    WHERE at >= @since ORDER BY id DESC LIMIT @limit) AS newest
                ORDER BY id
                """, connection);
            command.Parameters.AddWithValue("since", since.ToUniversalTime());
            command.Parameters.AddWithValue("limit", Math.Max(0, limit));
            var turns = new List<DeskTurn>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                turns.Add(new DeskTurn(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3),
                    reader.GetBoolean(4), reader.GetDouble(5), reader.GetString(6)));
            }
            return turns;
        }, cancellationToken);

    public Task<IReadOnlyList<UnansweredTurn>> UnansweredAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<UnansweredTurn>>(async connection =>
        {
            // As in SqliteDeskStore: a turn's question is its session's last customer message at or before the turn was
            // logged; turns while a person has the conversation ('human') and "转人工" itself ('human_request') are no
            // bot's miss.
            await using var command = new NpgsqlCommand("""
                SELECT t.at, t.session_id, t.handoff,
                    (SELECT m.content FROM messages m WHERE m.session_id = t.session_id AND m.role = 'user' AND m.at <= t.at ORDER BY m.id DESC LIMIT 1)
                FROM turns t
                WHERE t.at >= @since AND t.intent NOT IN ('human', 'human_request') AND (NOT t.resolved OR t.handoff)
                ORDER BY t.id DESC LIMIT @limit
                """, connection);
            command.Parameters.AddWithValue("since", since.ToUniversalTime());
            command.Parameters.AddWithValue("limit", Math.Max(0, limit));
            var turns = new List<UnansweredTurn>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!reader.IsDBNull(3))
                    turns.Add(new UnansweredTurn(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(3), reader.GetBoolean(2)));
            }
            return turns;
        }, cancellationToken);
}
