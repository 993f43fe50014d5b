using Kefu.Service.Dialogue;

namespace Kefu.Storage.Postgres.Tests.Support;

/// <summary>
/// The history the SQLite-against-PostgreSQL comparisons store in both: three conversations of two turns, ten minutes
/// apart from <see cref="Start"/>, the turns two minutes apart, each turn a customer question 问题{s}-{turn} and an
/// answer 回答{s}-{turn}; what each turn logged is the test's to say.
/// </summary>
internal static class ThreeConversations
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Stores the conversations in <paramref name="store"/>: <paramref name="turn"/> gives (and may change the session
    /// before) each turn's log entry from (session, conversation, turn, time); <paramref name="afterConversation"/>
    /// runs after each conversation's turns.
    /// </summary>
    public static async Task StoreAsync(
        ISessionStore store, Func<Session, int, int, DateTimeOffset, TurnLogEntry> turn, Func<Session, int, Task>? afterConversation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(turn);
        for (var s = 0; s < 3; s++)
        {
            var created = Start.AddMinutes(10 * s);
            var session = new Session { Id = $"s_{Guid.NewGuid():N}", CreatedAt = created, UpdatedAt = created };
            for (var t = 0; t < 2; t++)
            {
                var at = created.AddMinutes(t * 2);
                var entry = turn(session, s, t, at);
                await store.SaveAsync(session, [new SessionMessage("user", $"问题{s}-{t}", at), new SessionMessage("assistant", $"回答{s}-{t}", at)], entry, ct);
            }
            if (afterConversation is not null)
                await afterConversation(session, s);
        }
    }
}
