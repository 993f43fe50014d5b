using Kefu.Server.Api.Ui;
using Kefu.Service.Dialogue;
using Kefu.Testing;

namespace Kefu.Browser.Tests;

/// <summary>The desk store on SQLite: ratings, and the conversation log the session store writes.</summary>
public sealed class SqliteDeskStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SaveRating_Twice_KeepsTheLatestPerConversation()
    {
        using var temp = new TempDirectory();
        using var sessions = SqliteSessionStore.Open(temp.File("sessions.db"), TimeProvider.System);
        var store = SqliteDeskStore.Open(temp.File("sessions.db"));
        var at = DateTimeOffset.UtcNow;
        await store.SaveRatingAsync(new SatisfactionRating("s_1", 2, "慢", at), Ct);
        await store.SaveRatingAsync(new SatisfactionRating("s_1", 5, null, at.AddSeconds(1)), Ct);
        await store.SaveRatingAsync(new SatisfactionRating("s_2", 4, null, at), Ct);

        var ratings = await store.RatingsAsync(at.AddMinutes(-1), Ct);

        ratings.Count.ShouldBe(2);
        ratings.Single(r => r.SessionId == "s_1").Score.ShouldBe(5);
        ratings.Single(r => r.SessionId == "s_1").Comment.ShouldBeNull();
    }

    [Fact]
    public async Task Unanswered_ReadsTheCustomerQuestionOfEachMissedTurn()
    {
        using var temp = new TempDirectory();
        using var sessions = SqliteSessionStore.Open(temp.File("sessions.db"), TimeProvider.System);
        var store = SqliteDeskStore.Open(temp.File("sessions.db"));
        var session = await sessions.CreateAsync(Ct);
        var t0 = DateTimeOffset.UtcNow;
        await sessions.SaveAsync(session, [new SessionMessage("user", "能寄到国外吗", t0), new SessionMessage("assistant", "抱歉…", t0.AddMilliseconds(5))],
            new TurnLogEntry(t0.AddMilliseconds(5), "knowledge", "low confidence", 0.1, "[]", Resolved: false, Handoff: false, 12), Ct);
        await sessions.SaveAsync(session, [new SessionMessage("user", "退货运费谁出", t0.AddSeconds(1))],
            new TurnLogEntry(t0.AddSeconds(1.01), "knowledge", "answered", 0.9, "[]", Resolved: true, Handoff: false, 8), Ct);

        var missed = await store.UnansweredAsync(t0.AddMinutes(-1), 10, Ct);
        var turns = await store.TurnsAsync(t0.AddMinutes(-1), 10, Ct);

        missed.ShouldHaveSingleItem().Question.ShouldBe("能寄到国外吗");
        turns.Select(t => t.LatencyMilliseconds).ShouldBe([12, 8]);
    }

    [Fact]
    public async Task Open_FileWithoutConversationLog_ReadsNoTurnsButKeepsRatings()
    {
        using var temp = new TempDirectory();
        var store = SqliteDeskStore.Open(temp.File("desk-only.db"));
        (await store.TurnsAsync(DateTimeOffset.MinValue, 10, Ct)).ShouldBeEmpty();
        (await store.UnansweredAsync(DateTimeOffset.MinValue, 10, Ct)).ShouldBeEmpty();
        await store.SaveRatingAsync(new SatisfactionRating("s_1", 3, null, DateTimeOffset.UtcNow), Ct);
        (await store.RatingsAsync(DateTimeOffset.MinValue, Ct)).ShouldHaveSingleItem();
    }
}
