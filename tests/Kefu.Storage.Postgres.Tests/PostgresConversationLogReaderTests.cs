using Kefu.Service.Dialogue;
using Kefu.Storage.Postgres.Tests.Support;

namespace Kefu.Storage.Postgres.Tests;

public sealed class PostgresConversationLogReaderTests(SharedPostgresCluster cluster) : IAsyncLifetime
{
    private ScratchDatabase? _scratch;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _scratch = await ScratchDatabase.CreateAsync(cluster);

    [Fact]
    public async Task Read_SameConversationsStored_GivesWhatTheSqliteReaderGives()
    {
        var database = _scratch!.Database;
        using var sqlite = SqliteSessionStore.Open(_scratch.Temp.File("sessions.db"), TimeProvider.System);
        var postgres = new PostgresSessionStore(database, TimeProvider.System);
        await StoreConversationsAsync(sqlite);
        await StoreConversationsAsync(postgres);
        var expected = SqliteConversationLogReader.Open(_scratch.Temp.File("sessions.db"));
        var actual = new PostgresConversationLogReader(database);
        var from = ThreeConversations.Start.AddMinutes(1);
        var to = ThreeConversations.Start.AddMinutes(30);

        var turns = await actual.TurnsAsync(from, to, Ct);

        turns.Select(t => (t.Question, t.Entry)).ShouldBe((await expected.TurnsAsync(from, to, Ct)).Select(t => (t.Question, t.Entry)));
        turns.Count.ShouldBe(5);
        (await actual.SessionsAsync(null, null, Ct)).Select(s => (s.State, s.CreatedAt, s.HandoffReason, s.Agent))
            .ShouldBe((await expected.SessionsAsync(null, null, Ct)).Select(s => (s.State, s.CreatedAt, s.HandoffReason, s.Agent)));
        (await actual.CorrectionsAfterAsync(ThreeConversations.Start.AddMinutes(5), Ct)).Select(c => c with { SessionId = "" })
            .ShouldBe((await expected.CorrectionsAfterAsync(ThreeConversations.Start.AddMinutes(5), Ct)).Select(c => c with { SessionId = "" }));
    }

    // The third conversation ends waiting for a person; every conversation gets an agent's corrected answer.
    private static Task StoreConversationsAsync(ISessionStore store) => ThreeConversations.StoreAsync(store, (session, s, turn, at) =>
    {
        session.State = s == 2 && turn == 1 ? SessionState.WaitingForHuman : SessionState.Bot;
        session.HandoffReason = session.State == SessionState.WaitingForHuman ? "unresolved" : null;
        return new TurnLogEntry(at.AddMilliseconds(5), turn == 0 ? "faq" : "order_query", "rule", 0.5 + (s / 10.0), "[]", turn == 0, session.HandoffReason is not null, 12.5);
    }, (session, s) => store.SaveCorrectionAsync(new CorrectedAnswer(session.Id, $"问题{s}-1", null, $"人工回答{s}", "agent1", ThreeConversations.Start.AddMinutes(10 * s + 3)), Ct), Ct);

    public async ValueTask DisposeAsync()
    {
        if (_scratch is not null)
            await _scratch.DisposeAsync();
    }
}
