using Kefu.Service.Dialogue;
using Kefu.Service.Tests.Dialogue;
using Kefu.Storage.Postgres.Tests.Support;

namespace Kefu.Storage.Postgres.Tests;

/// <summary>
/// The session-store contract on PostgreSQL, each test in a fresh database; every store instance has its own
/// connection pool, as separate replicas would.
/// </summary>
public sealed class PostgresSessionStoreTests(SharedPostgresCluster cluster) : SessionStoreContract, IAsyncLifetime
{
    private readonly List<PostgresDatabase> _opened = [];
    private string? _connectionString;

    public async ValueTask InitializeAsync() => _connectionString = await cluster.CreateDatabaseAsync();

    protected override ISessionStore OpenStore(int loadedMessages = 60)
    {
        var database = PostgresDatabase.Open(_connectionString!);
        _opened.Add(database);
        return new PostgresSessionStore(database, TimeProvider.System, loadedMessages);
    }

    [Fact]
    public async Task Save_LogEntryRejectedByTheDatabase_LeavesNeitherStateNorMessagesOfTheTurn()
    {
        var store = OpenStore();
        var session = await store.CreateAsync(Ct);
        await ExecuteAsync("""
            CREATE FUNCTION reject_turn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'turn rejected'; END $$;
            CREATE TRIGGER reject_turn BEFORE INSERT ON turns FOR EACH ROW WHEN (NEW.intent = 'reject') EXECUTE FUNCTION reject_turn();
            """);
        session.State = SessionState.WaitingForHuman;
        session.Slots[SlotNames.OrderId] = "ORD12345";
        var now = DateTimeOffset.UtcNow;

        await Should.ThrowAsync<Npgsql.PostgresException>(() => store.SaveAsync(session,
            [new SessionMessage("user", "转人工", now), new SessionMessage("assistant", "正在为您转接", now)],
            new TurnLogEntry(now, "reject", "test", null, "[]", true, true, 1), Ct));

        var stored = await OpenStore().FindAsync(session.Id, Ct);
        stored!.State.ShouldBe(SessionState.Bot);
        stored.Slots.ShouldBeEmpty();
        stored.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task Save_CopyLoadedBeforeAnAgentClaimedIt_KeepsTheClaimAppendsTheMessageAndReportsTheClaim()
    {
        var replicaA = OpenStore();
        var session = await replicaA.CreateAsync(Ct);
        session.State = SessionState.WaitingForHuman;
        session.QueuedAt = DateTimeOffset.UtcNow;
        await replicaA.SaveAsync(session, [], null, Ct);
        var customerTurn = await replicaA.FindAsync(session.Id, Ct);

        (await OpenStore().TryClaimAsync(session.Id, "agent1", Ct)).ShouldBeTrue();
        customerTurn!.Slots[SlotNames.OrderId] = "ORD12345";
        await replicaA.SaveAsync(customerTurn, [new SessionMessage("user", "还在吗", DateTimeOffset.UtcNow)], null, Ct);

        var stored = await OpenStore().FindAsync(session.Id, Ct);
        (stored!.State, stored.AssignedAgent).ShouldBe((SessionState.Human, "agent1"));
        stored.Messages.ShouldHaveSingleItem().Content.ShouldBe("还在吗");
        (customerTurn.State, customerTurn.AssignedAgent).ShouldBe((SessionState.Human, "agent1"), "the caller's copy shows the state that won");
        customerTurn.Slots.ShouldBeEmpty();
    }

    [Fact]
    public async Task Save_SameCopySavedTwice_BothWritesApply()
    {
        var store = OpenStore();
        var session = await store.CreateAsync(Ct);
        session.UnresolvedTurns = 1;
        await store.SaveAsync(session, [], null, Ct);
        session.UnresolvedTurns = 2;
        await store.SaveAsync(session, [], null, Ct);

        (await OpenStore().FindAsync(session.Id, Ct))!.UnresolvedTurns.ShouldBe(2);
    }

    [Fact]
    public async Task Find_SessionIdWithNulCharacter_IsNotFoundRatherThanAnError() =>
        (await OpenStore().FindAsync("s_\0", Ct)).ShouldBeNull();

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _opened)
            await database.DisposeAsync();
    }
}
