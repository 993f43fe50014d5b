using Kefu.Service.Dialogue;
using Kefu.Storage.Postgres.Tests.Support;
using Kefu.Testing;

namespace Kefu.Storage.Postgres.Tests;

public sealed class PostgresConversationLogReaderTests(SharedPostgresCluster cluster) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private PostgresDatabase? _database;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = PostgresDatabase.Open(await cluster.CreateDatabaseAsync());

    [Fact]
    public async Task Read_SameConversationsStored_GivesWhatTheSqliteReaderGives()
    {
        var sqlite = SqliteSessionStore.Open(_temp.File("sessions.db"), TimeProvider.System);
        var postgres = new PostgresSessionStore(_database!, TimeProvider.System);
        await StoreConversationsAsync(sqlite);
        await StoreConversationsAsync(postgres);
        var expected = SqliteConversationLogReader.Open(_temp.File("sessions.db"));
        var actual = new PostgresConversationLogReader(_database!);
        var from = Start.AddMinutes(1);
        var to = Start.AddMinutes(30);

        var turns = await actual.TurnsAsync(from, to, Ct);

        turns.Select(t => (t.Question, t.Entry)).ShouldBe((await expected.TurnsAsync(from, to, Ct)).Select(t => (t.Question, t.Entry)));
        turns.Count.ShouldBe(5);
        (await actual.SessionsAsync(null, null, Ct)).Select(s => (s.State, s.CreatedAt, s.HandoffReason, s.Agent))
            .ShouldBe((await expected.SessionsAsync(null, null, Ct)).Select(s => (s.State, s.CreatedAt, s.HandoffReason, s.Agent)));
        (await actual.CorrectionsAfterAsync(Start.AddMinutes(5), Ct)).Select(c => c with { SessionId = "" })
            .ShouldBe((await expected.CorrectionsAfterAsync(Start.AddMinutes(5), Ct)).Select(c => c with { SessionId = "" }));
    }

    private static async Task StoreConversationsAsync(ISessionStore store)
    {
        for (var s = 0; s < 3; s++)
        {
            var created = Start.AddMinutes(10 * s);
            var session = new Session { Id = $"s_{Guid.NewGuid():N}", CreatedAt = created, UpdatedAt = created };
            for (var turn = 0; turn < 2; turn++)
            {
                var at = created.AddMinutes(turn * 2);
                session.State = s == 2 && turn == 1 ? SessionState.WaitingForHuman : SessionState.Bot;
                session.HandoffReason = session.State == SessionState.WaitingForHuman ? "unresolved" : null;
                await store.SaveAsync(session, [new SessionMessage("user", $"问题{s}-{turn}", at), new SessionMessage("assistant", $"回答{s}-{turn}", at)],
                    new TurnLogEntry(at.AddMilliseconds(5), turn == 0 ? "faq" : "order_query", "rule", 0.5 + (s / 10.0), "[]", turn == 0, session.HandoffReason is not null, 12.5), Ct);
            }
            await store.SaveCorrectionAsync(new CorrectedAnswer(session.Id, $"问题{s}-1", null, $"人工回答{s}", "agent1", created.AddMinutes(3)), Ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
            await _database.DisposeAsync();
        _temp.Dispose();
    }
}
