using Kefu.Server.Api.Ui;
using Kefu.Service.Dialogue;

namespace Kefu.Browser.Tests;

/// <summary>
/// What every <see cref="IDeskStore"/> must do — ratings, and reading the conversation log a session store writes —
/// run against each implementation: SQLite here (SqliteDeskStoreTests) and PostgreSQL in Kefu.Storage.Postgres.Tests
/// (this file is linked there).
/// </summary>
public abstract class DeskStoreContract
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A desk store over this test's empty data, and the session store whose conversation log it reads.</summary>
    private protected abstract (IDeskStore Desk, ISessionStore Sessions) Open();

    /// <summary>A desk store over data that no session store ever wrote to: no conversation log.</summary>
    private protected abstract IDeskStore OpenWithoutConversationLog();

    [Fact]
    public async Task SaveRating_Twice_KeepsTheLatestPerConversation()
    {
        var (store, _) = Open();
        var at = DateTimeOffset.UtcNow;
        await store.SaveRatingAsync(new SatisfactionRating("s_1", 2, "慢", at), Ct);
        await store.SaveRatingAsync(new SatisfactionRating("s_1", 5, null, at.AddSeconds(1)), Ct);
        await store.SaveRatingAsync(new SatisfactionRating("s_2", 4, "好", at), Ct);

        var ratings = await store.RatingsAsync(at.AddMinutes(-1), Ct);

        ratings.Count.ShouldBe(2);
        ratings.Single(r => r.SessionId == "s_1").Score.ShouldBe(5);
        ratings.Single(r => r.SessionId == "s_1").Comment.ShouldBeNull();
        ratings.Single(r => r.SessionId == "s_2").Comment.ShouldBe("好");
        (await store.RatingsAsync(at.AddSeconds(0.5), Ct)).ShouldHaveSingleItem().SessionId.ShouldBe("s_1");
    }

    [Fact]
    public async Task Unanswered_ReadsTheCustomerQuestionOfEachMissedTurn()
    {
        var (store, sessions) = Open();
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
        (await store.TurnsAsync(t0.AddMinutes(-1), 1, Ct)).ShouldHaveSingleItem().LatencyMilliseconds.ShouldBe(8);
    }

    [Fact]
    public async Task NoConversationLog_ReadsNoTurnsButKeepsRatings()
    {
        var store = OpenWithoutConversationLog();
        (await store.TurnsAsync(DateTimeOffset.MinValue, 10, Ct)).ShouldBeEmpty();
        (await store.UnansweredAsync(DateTimeOffset.MinValue, 10, Ct)).ShouldBeEmpty();
        await store.SaveRatingAsync(new SatisfactionRating("s_1", 3, null, DateTimeOffset.UtcNow), Ct);
        (await store.RatingsAsync(DateTimeOffset.MinValue, Ct)).ShouldHaveSingleItem();
    }
}
