using Kefu.Service.Dialogue;
using Kefu.Testing;

namespace Kefu.Service.Tests.Dialogue;

public sealed class SqliteSessionStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Save_ThenFindFromAnotherStoreOnTheSameFile_RestoresStateSlotsPendingAndMessages()
    {
        using var temp = new TempDirectory();
        var store = SqliteSessionStore.Open(temp.File("sessions.db"), TimeProvider.System);
        var session = await store.CreateAsync(Ct);
        session.State = SessionState.WaitingForHuman;
        session.Slots[SlotNames.OrderId] = "ORD12345";
        session.UnresolvedTurns = 1;
        session.Pending = new PendingAction("request_refund", new Dictionary<string, string> { ["order_id"] = "ORD12345" }, "reason");
        var now = DateTimeOffset.UtcNow;
        await store.SaveAsync(session, [new SessionMessage("user", "我要退款", now), new SessionMessage("assistant", "请问原因？", now)],
            new TurnLogEntry(now, "order_query", "rule refund", null, "[]", true, false, 3.5), Ct);

        var restored = await SqliteSessionStore.Open(temp.File("sessions.db"), TimeProvider.System).FindAsync(session.Id, Ct);

        restored.ShouldNotBeNull();
        restored.State.ShouldBe(SessionState.WaitingForHuman);
        restored.Slots.ShouldBe(session.Slots);
        restored.UnresolvedTurns.ShouldBe(1);
        restored.Pending!.AwaitingArgument.ShouldBe("reason");
        restored.Pending.Arguments["order_id"].ShouldBe("ORD12345");
        restored.Messages.Select(m => m.Content).ShouldBe(["我要退款", "请问原因？"]);
    }

    [Fact]
    public async Task Find_LongConversation_LoadsOnlyTheMostRecentMessages()
    {
        using var temp = new TempDirectory();
        var store = SqliteSessionStore.Open(temp.File("sessions.db"), TimeProvider.System);
        var session = await store.CreateAsync(Ct);
        var messages = Enumerable.Range(1, 100).Select(i => new SessionMessage("user", $"第{i}条", DateTimeOffset.UtcNow)).ToList();
        await store.SaveAsync(session, messages, null, Ct);

        var restored = await SqliteSessionStore.Open(temp.File("sessions.db"), TimeProvider.System, loadedMessages: 10).FindAsync(session.Id, Ct);

        restored!.Messages.Select(m => m.Content).ShouldBe(Enumerable.Range(91, 10).Select(i => $"第{i}条"));
    }

    [Fact]
    public async Task Find_UnknownId_IsNull()
    {
        using var temp = new TempDirectory();

        (await SqliteSessionStore.Open(temp.File("sessions.db"), TimeProvider.System).FindAsync("s_nope", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task List_WaitingForHuman_ReturnsOnlyThoseSessions()
    {
        using var temp = new TempDirectory();
        var store = SqliteSessionStore.Open(temp.File("sessions.db"), TimeProvider.System);
        var waiting = await store.CreateAsync(Ct);
        waiting.State = SessionState.WaitingForHuman;
        await store.SaveAsync(waiting, [], null, Ct);
        await store.CreateAsync(Ct);

        (await store.ListAsync(SessionState.WaitingForHuman, 10, Ct)).ShouldHaveSingleItem().Id.ShouldBe(waiting.Id);
    }
}
