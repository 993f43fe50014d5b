using Kefu.Browser.Tests;
using Kefu.Server.Api.Ui;
using Kefu.Service.Dialogue;
using Kefu.Storage.Postgres.Tests.Support;

namespace Kefu.Storage.Postgres.Tests;

/// <summary>The desk-store contract on PostgreSQL, each test in a fresh database, and the same figures as the SQLite one.</summary>
public sealed class PostgresDeskStoreTests(SharedPostgresCluster cluster) : DeskStoreContract, IAsyncLifetime
{
    private ScratchDatabase? _scratch;

    private PostgresDatabase Database => _scratch!.Database;

    public async ValueTask InitializeAsync() => _scratch = await ScratchDatabase.CreateAsync(cluster);

    private protected override (IDeskStore Desk, ISessionStore Sessions) Open() =>
        (new PostgresDeskStore(Database), new PostgresSessionStore(Database, TimeProvider.System));

    // A fresh database has no conversation log until a session store writes one.
    private protected override IDeskStore OpenWithoutConversationLog() => new PostgresDeskStore(Database);

    [Fact]
    public async Task SameConversationsStored_GiveWhatTheSqliteDeskStoreGives()
    {
        using var sqliteSessions = SqliteSessionStore.Open(_scratch!.Temp.File("sessions.db"), TimeProvider.System);
        await StoreConversationsAsync(sqliteSessions);
        await StoreConversationsAsync(new PostgresSessionStore(Database, TimeProvider.System));
        var expected = SqliteDeskStore.Open(_scratch.Temp.File("sessions.db"));
        var actual = new PostgresDeskStore(Database);
        var since = ThreeConversations.Start.AddMinutes(-1);

        var turns = await actual.TurnsAsync(since, 100, Ct);
        var missed = await actual.UnansweredAsync(since, 100, Ct);

        turns.Count.ShouldBe(6);
        turns.Select(t => (t.At, t.Intent, t.Resolved, t.Handoff, t.LatencyMilliseconds, t.ToolCallsJson))
            .ShouldBe((await expected.TurnsAsync(since, 100, Ct)).Select(t => (t.At, t.Intent, t.Resolved, t.Handoff, t.LatencyMilliseconds, t.ToolCallsJson)));
        missed.Count.ShouldBe(2);
        missed.Select(t => (t.At, t.Question, t.Handoff))
            .ShouldBe((await expected.UnansweredAsync(since, 100, Ct)).Select(t => (t.At, t.Question, t.Handoff)));
    }

    // The second turns are the interesting ones: the first conversation's is answered but handed off (a miss), the
    // second's is unresolved while a person has the conversation ('human', no bot miss), the third's is unresolved and
    // handed off (a miss).
    private static Task StoreConversationsAsync(ISessionStore store) => ThreeConversations.StoreAsync(store, (_, s, turn, at) =>
    {
        var resolved = turn == 0 || s == 0;
        var intent = s == 1 && turn == 1 ? "human" : "faq";
        var handoff = s != 1 && turn == 1;
        return new TurnLogEntry(at.AddMilliseconds(5), intent, "rule", 0.5, "[]", resolved, handoff, 10 + s + turn);
    }, afterConversation: null, Ct);

    public async ValueTask DisposeAsync()
    {
        if (_scratch is not null)
            await _scratch.DisposeAsync();
    }
}
