using Kefu.Service.Dialogue;

namespace Kefu.Evaluation.Tests.Analytics;

/// <summary>
/// A small conversation log written through the real SqliteSessionStore, counted by hand (in the shop's UTC+8):
/// day 11-20: s1 (发票 resolved, 怎么开发票呢 unresolved), s2 (tracking resolved, 我要人工 → hand-off);
/// day 11-21: s3 (01:00 local: 可以开发票吗怎么开 unresolved, ORD99999 with an unavailable tool → hand-off), s4 (resolved).
/// </summary>
internal static class HandCountedLog
{
    public static readonly TimeZoneInfo Shop = TimeZoneInfo.CreateCustomTimeZone("UTC+08", TimeSpan.FromHours(8), "UTC+08", "UTC+08");

    public static async Task WriteAsync(string databasePath, CancellationToken cancellationToken)
    {
        using var store = SqliteSessionStore.Open(databasePath, TimeProvider.System);
        var day1 = new DateTimeOffset(2026, 11, 20, 1, 0, 0, TimeSpan.Zero);
        await Turn(store, "s1", day1, "发票怎么开", "knowledge", "faq hit", "[]", resolved: true, handoff: false, 100, cancellationToken);
        await Turn(store, "s1", day1.AddMinutes(1), "怎么开发票呢", "knowledge", "no confident answer", "[]", resolved: false, handoff: false, 300, cancellationToken);
        await Turn(store, "s2", day1.AddHours(1), "ORD12345到哪了", "order", "order id",
            """[{"name":"track_logistics","arguments":"{}","outcome":"success","duration_ms":50,"message":null}]""", resolved: true, handoff: false, 200, cancellationToken);
        await Turn(store, "s2", day1.AddHours(1).AddMinutes(2), "我要人工", "human", "customer asked for a human", "[]", resolved: false, handoff: true, 20, cancellationToken);
        var day2 = new DateTimeOffset(2026, 11, 20, 17, 0, 0, TimeSpan.Zero);   // 2026-11-21 01:00 in UTC+8
        await Turn(store, "s3", day2, "可以开发票吗怎么开", "knowledge", "no confident answer", "[]", resolved: false, handoff: false, 400, cancellationToken);
        await Turn(store, "s3", day2.AddMinutes(3), "ORD99999", "order", "tool failed",
            """[{"name":"query_order","arguments":"{}","outcome":"unavailable","duration_ms":3000,"message":"timeout"}]""", resolved: false, handoff: true, 3100, cancellationToken);
        await Turn(store, "s4", day2.AddHours(10), "退货运费谁出", "knowledge", "faq hit", "[]", resolved: true, handoff: false, 150, cancellationToken);
        await store.SaveCorrectionAsync(new CorrectedAnswer("s2", "我要人工", "正在转接", "您好，ORD12345明天送达。", "agent1", day1.AddHours(2)), cancellationToken);
    }

    private static async Task Turn(SqliteSessionStore store, string id, DateTimeOffset at, string question, string intent, string reason, string tools,
        bool resolved, bool handoff, double latency, CancellationToken cancellationToken)
    {
        var existing = await store.FindAsync(id, cancellationToken);
        var session = existing ?? new Session { Id = id, CreatedAt = at, UpdatedAt = at };
        var end = at.AddMilliseconds(latency);
        session.UpdatedAt = end;
        if (handoff)
        {
            session.State = SessionState.WaitingForHuman;
            session.HandoffReason = reason;
            session.QueuedAt = end;
        }
        await store.SaveAsync(session, [new SessionMessage(SessionMessage.User, question, at), new SessionMessage(SessionMessage.Assistant, "…", end)],
            new TurnLogEntry(end, intent, reason, null, tools, resolved, handoff, latency), cancellationToken);
    }
}
