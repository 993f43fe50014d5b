using System.Threading.Channels;
using Kefu.Service.Dialogue;
using Kefu.Storage.Postgres.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Kefu.Storage.Postgres.Tests;

/// <summary>
/// LISTEN/NOTIFY between two "replicas" (two databases objects, two pools) on one PostgreSQL database: what one
/// writes, the other hears, and a write the database rolls back is heard by no one.
/// </summary>
public sealed class PostgresSessionChangesTests(SharedPostgresCluster cluster) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly List<IDisposable> _owned = [];
    private string? _connectionString;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _connectionString = await cluster.CreateDatabaseAsync();

    [Fact]
    public async Task Subscribe_WritesOnAnotherReplica_AreHeardWithTheirSessionIds()
    {
        var (heard, _) = await ListenAsync();
        var writer = Store();
        var session = await writer.CreateAsync(Ct);
        session.State = SessionState.WaitingForHuman;
        session.QueuedAt = DateTimeOffset.UtcNow;

        await writer.SaveAsync(session, [new SessionMessage("user", "转人工", DateTimeOffset.UtcNow)], null, Ct);
        (await NextAsync(heard)).ShouldBe(session.Id);

        (await writer.TryClaimAsync(session.Id, "agent1", Ct)).ShouldBeTrue();
        (await NextAsync(heard)).ShouldBe(session.Id);

        // A claim that loses changes nothing, so it tells no one.
        (await writer.TryClaimAsync(session.Id, "agent2", Ct)).ShouldBeFalse();
        await writer.SaveAsync(session, [new SessionMessage("agent", "您好", DateTimeOffset.UtcNow)], null, Ct);
        (await NextAsync(heard)).ShouldBe(session.Id, "the next notification is the reply's, not the lost claim's");
    }

    [Fact]
    public async Task Subscribe_WriteTheDatabaseRollsBack_IsHeardByNoOne()
    {
        var (heard, _) = await ListenAsync();
        var writer = Store();
        var session = await writer.CreateAsync(Ct);
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync(Ct);
            await using var command = new NpgsqlCommand("""
                CREATE FUNCTION reject_turn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'turn rejected'; END $$;
                CREATE TRIGGER reject_turn BEFORE INSERT ON turns FOR EACH ROW WHEN (NEW.intent = 'reject') EXECUTE FUNCTION reject_turn();
                """, connection);
            await command.ExecuteNonQueryAsync(Ct);
        }
        var now = DateTimeOffset.UtcNow;
        session.State = SessionState.WaitingForHuman; // a hand-off: it would be heard, had it been stored

        await Should.ThrowAsync<PostgresException>(() => writer.SaveAsync(session, [new SessionMessage("user", "转人工", now)],
            new TurnLogEntry(now, "reject", "test", null, "[]", false, true, 1), Ct));
        var other = await writer.CreateAsync(Ct);
        other.State = SessionState.WaitingForHuman;
        await writer.SaveAsync(other, [new SessionMessage("user", "转人工", now)], null, Ct);

        (await NextAsync(heard)).ShouldBe(other.Id, "the rolled-back turn must not have notified");
    }

    [Fact]
    public async Task Subscribe_BotTurns_AreNotAnnounced_AHandOffIs()
    {
        var (heard, _) = await ListenAsync();
        var writer = Store();
        var chatting = await writer.CreateAsync(Ct);
        var now = DateTimeOffset.UtcNow;
        // The bulk of traffic: nobody follows a conversation the bot is handling, so no replica needs to re-read it.
        await writer.SaveAsync(chatting, [new SessionMessage("user", "多少钱包邮", now), new SessionMessage("assistant", "满59元包邮", now)], null, Ct);
        var handingOff = await writer.CreateAsync(Ct);
        handingOff.State = SessionState.WaitingForHuman;
        await writer.SaveAsync(handingOff, [new SessionMessage("user", "转人工", now)], null, Ct);

        (await NextAsync(heard)).ShouldBe(handingOff.Id, "creating sessions and bot turns must not have notified");

        // Handing back to the bot leaves the queue: that is announced too.
        var reloaded = (await writer.FindAsync(handingOff.Id, Ct))!;
        reloaded.State = SessionState.Bot;
        await writer.SaveAsync(reloaded, [], null, Ct);
        (await NextAsync(heard)).ShouldBe(handingOff.Id);
    }

    [Fact]
    public async Task Subscribe_LastSubscriberLeaves_StopsListening()
    {
        var (_, changes) = await ListenAsync();
        changes.IsListening.ShouldBeTrue();

        _owned[^1].Dispose();

        var deadline = DateTime.UtcNow + Patience;
        while (changes.IsListening && DateTime.UtcNow < deadline)
            await Task.Delay(20, Ct);
        changes.IsListening.ShouldBeFalse();
    }

    /// <summary>A listener on its own database object, started and past its first "re-read everything" (null).</summary>
    private async Task<(Channel<string?> Heard, PostgresSessionChanges Changes)> ListenAsync()
    {
        var database = PostgresDatabase.Open(_connectionString!);
        _owned.Add(database);
        var changes = new PostgresSessionChanges(database, TimeProvider.System, NullLogger<PostgresSessionChanges>.Instance);
        _owned.Add(changes);
        var heard = Channel.CreateUnbounded<string?>();
        _owned.Add(changes.Subscribe(id => heard.Writer.TryWrite(id)));
        (await NextAsync(heard)).ShouldBeNull("a new listener first says: anything may have changed");
        return (heard, changes);
    }

    private PostgresSessionStore Store()
    {
        var database = PostgresDatabase.Open(_connectionString!);
        _owned.Add(database);
        return new PostgresSessionStore(database, TimeProvider.System);
    }

    internal static async Task<string?> NextAsync(Channel<string?> heard, TimeSpan? patience = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(patience ?? Patience);
        return await heard.Reader.ReadAsync(timeout.Token);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
            owned.Dispose();
        return ValueTask.CompletedTask;
    }
}
