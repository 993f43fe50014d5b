using Kefu.Server.Api.Ui;
using Kefu.Service.Dialogue;
using Kefu.Storage.Postgres.Tests.Support;
using Kefu.Testing;

namespace Kefu.Storage.Postgres.Tests;

/// <summary>The desk store on PostgreSQL: the checks of SqliteDeskStoreTests, and the same figures as the SQLite one.</summary>
public sealed class PostgresDeskStoreTests(SharedPostgresCluster cluster) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private PostgresDatabase? _database;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = PostgresDatabase.Open(await cluster.CreateDatabaseAsync());

    [Fact]
    public async Task SaveRating_Twice_KeepsTheLatestPerConversation()
    {
        var store = new PostgresDeskStore(_database!);
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
        var sessions = new PostgresSessionStore(_database!, TimeProvider.System);
        var store = new PostgresDeskStore(_database!);
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
    public async Task EmptyDatabase_ReadsNoTurnsButKeepsRatings()
    {
        var store = new PostgresDeskStore(_database!);
        (await store.TurnsAsync(DateTimeOffset.MinValue, 10, Ct)).ShouldBeEmpty();
        (await store.UnansweredAsync(DateTimeOffset.MinValue, 10, Ct)).ShouldBeEmpty();
        await store.SaveRatingAsync(new SatisfactionRating("s_1", 3, null, DateTimeOffset.UtcNow), Ct);
        (await store.RatingsAsync(DateTimeOffset.MinValue, Ct)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task SameConversationsStored_GiveWhatTheSqliteDeskStoreGives()
    {
        using var sqliteSessions = SqliteSessionStore.Open(_temp.File("sessions.db"), TimeProvider.System);
        await StoreConversationsAsync(sqliteSessions);
        await StoreConversationsAsync(new PostgresSessionStore(_database!, TimeProvider.System));
        var expected = SqliteDeskStore.Open(_temp.File("sessions.db"));
        var actual = new PostgresDeskStore(_database!);
        var since = Start.AddMinutes(-1);

        var turns = await actual.TurnsAsync(since, 100, Ct);
        var missed = await actual.UnansweredAsync(since, 100, Ct);

        turns.Count.ShouldBe(6);
        turns.Select(t => (t.At, t.Intent, t.Resolved, t.Handoff, t.LatencyMilliseconds, t.ToolCallsJson))
            .ShouldBe((await expected.TurnsAsync(since, 100, Ct)).Select(t => (t.At, t.Intent, t.Resolved, t.Handoff, t.LatencyMilliseconds, t.ToolCallsJson)));
        missed.Count.ShouldBe(2);
        missed.Select(t => (t.At, t.Question, t.Handoff))
            .ShouldBe((await expected.UnansweredAsync(since, 100, Ct)).Select(t => (t.At, t.Question, t.Handoff)));
    }

    // Three conversations of two turns; the second turns are the interesting ones: the first conversation's is answered
    // but handed off (a miss), the second's is unresolved while a person has the conversation ('human', no bot miss),
    // the third's is unresolved and handed off (a miss).
    private static async Task StoreConversationsAsync(ISessionStore store)
    {
        for (var s = 0; s < 3; s++)
        {
            var created = Start.AddMinutes(10 * s);
            var session = new Session { Id = $"s_{Guid.NewGuid():N}", CreatedAt = created, UpdatedAt = created };
            for (var turn = 0; turn < 2; turn++)
            {
                var at = created.AddMinutes(turn * 2);
                var resolved = turn == 0 || s == 0;
                var intent = s == 1 && turn == 1 ? "human" : "faq";
                var handoff = s != 1 && turn == 1;
                await store.SaveAsync(session, [new SessionMessage("user", $"问题{s}-{turn}", at), new SessionMessage("assistant", $"回答{s}-{turn}", at)],
                    new TurnLogEntry(at.AddMilliseconds(5), intent, "rule", 0.5, "[]", resolved, handoff, 10 + s + turn), Ct);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
            await _database.DisposeAsync();
        _temp.Dispose();
    }
}
