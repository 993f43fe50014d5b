using Kefu.Service.Dialogue;

namespace Kefu.Service.Tests.Dialogue;

/// <summary>
/// What every <see cref="ISessionStore"/> must do, run against each implementation: SQLite here
/// (SqliteSessionStoreTests) and PostgreSQL in Kefu.Storage.Postgres.Tests (this file is linked there).
/// </summary>
public abstract class SessionStoreContract
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new store instance over this test's data (as another process or replica would open it).</summary>
    protected abstract ISessionStore OpenStore(int loadedMessages = 60);

    [Fact]
    public async Task Save_ThenFindFromAnotherStoreOnTheSameData_RestoresStateSlotsPendingAndMessages()
    {
        var store = OpenStore();
        var session = await store.CreateAsync(Ct);
        session.State = SessionState.WaitingForHuman;
        session.Slots[SlotNames.OrderId] = "ORD12345";
        session.UnresolvedTurns = 1;
        session.Pending = new PendingAction("request_refund", new Dictionary<string, string> { ["order_id"] = "ORD12345" }, "reason");
        session.HandoffReason = "customer_request";
        var now = DateTimeOffset.UtcNow;
        session.QueuedAt = now;
        await store.SaveAsync(session, [new SessionMessage("user", "我要退款", now), new SessionMessage("assistant", "请问原因？", now)],
            new TurnLogEntry(now, "order_query", "rule refund", null, "[]", true, false, 3.5), Ct);

        var restored = await OpenStore().FindAsync(session.Id, Ct);

        restored.ShouldNotBeNull();
        restored.State.ShouldBe(SessionState.WaitingForHuman);
        restored.Slots.ShouldBe(session.Slots);
        restored.UnresolvedTurns.ShouldBe(1);
        restored.Pending!.AwaitingArgument.ShouldBe("reason");
        restored.Pending.Arguments["order_id"].ShouldBe("ORD12345");
        restored.HandoffReason.ShouldBe("customer_request");
        restored.QueuedAt!.Value.ShouldBe(now, TimeSpan.FromMilliseconds(1));
        restored.Messages.Select(m => m.Content).ShouldBe(["我要退款", "请问原因？"]);
    }

    [Fact]
    public async Task Find_LongConversation_LoadsOnlyTheMostRecentMessages()
    {
        var store = OpenStore();
        var session = await store.CreateAsync(Ct);
        var messages = Enumerable.Range(1, 100).Select(i => new SessionMessage("user", $"第{i}条", DateTimeOffset.UtcNow)).ToList();
        await store.SaveAsync(session, messages, null, Ct);

        var restored = await OpenStore(loadedMessages: 10).FindAsync(session.Id, Ct);

        restored!.Messages.Select(m => m.Content).ShouldBe(Enumerable.Range(91, 10).Select(i => $"第{i}条"));
    }

    [Fact]
    public async Task Find_LongConversation_CountsEveryMessageAndEveryCustomerMessageNotOnlyTheLoadedOnes()
    {
        var store = OpenStore();
        var session = await store.CreateAsync(Ct);
        (await store.FindAsync(session.Id, Ct))!.MessageCount.ShouldBe(0);
        for (var i = 1; i <= 30; i++)
        {
            await store.SaveAsync(session, [new(SessionMessage.User, $"问{i}", DateTimeOffset.UtcNow), new(SessionMessage.Assistant, $"答{i}", DateTimeOffset.UtcNow)], null, Ct);
        }
        await store.SaveAsync(session, [new(SessionMessage.Agent, "人工回复", DateTimeOffset.UtcNow)], null, Ct);

        var restored = (await OpenStore(loadedMessages: 10).FindAsync(session.Id, Ct))!;

        restored.MessageCount.ShouldBe(61, "the number of the last message, so the tail's messages are numbered 52–61");
        restored.CustomerTurns.ShouldBe(30);
        restored.Messages.Count.ShouldBe(10);
        restored.Messages[^1].Content.ShouldBe("人工回复");
    }

    [Fact]
    public async Task Find_UnknownId_IsNull() =>
        (await OpenStore().FindAsync("s_nope", Ct)).ShouldBeNull();

    [Fact]
    public async Task List_WaitingForHuman_ReturnsOnlyThoseSessionsLongestWaitingFirst()
    {
        var store = OpenStore();
        var start = DateTimeOffset.UtcNow;
        var later = await Queue(store, start.AddSeconds(2));
        var earlier = await Queue(store, start);
        await store.CreateAsync(Ct);

        (await store.ListAsync(SessionState.WaitingForHuman, 10, Ct)).Select(s => s.Id).ShouldBe([earlier.Id, later.Id]);
        (await store.QueuePositionAsync(earlier, Ct)).ShouldBe(1);
        (await store.QueuePositionAsync(later, Ct)).ShouldBe(2);
    }

    [Fact]
    public async Task TryClaim_ManyAgentsAtOnceThroughSeveralStores_ExactlyOneWins()
    {
        var session = await Queue(OpenStore(), DateTimeOffset.UtcNow);
        ISessionStore[] stores = [OpenStore(), OpenStore(), OpenStore()];

        var claims = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => stores[i % stores.Length].TryClaimAsync(session.Id, $"agent{i}", Ct), Ct)));

        claims.Count(won => won).ShouldBe(1);
        var claimed = await OpenStore().FindAsync(session.Id, Ct);
        claimed!.State.ShouldBe(SessionState.Human);
        claimed.AssignedAgent.ShouldBe($"agent{Array.IndexOf(claims, true)}");
    }

    [Fact]
    public async Task TryClaim_SessionNotWaiting_ChangesNothing()
    {
        var store = OpenStore();
        var session = await store.CreateAsync(Ct);

        (await store.TryClaimAsync(session.Id, "agent", Ct)).ShouldBeFalse();
        (await store.TryClaimAsync("s_nope", "agent", Ct)).ShouldBeFalse();
        (await store.FindAsync(session.Id, Ct))!.State.ShouldBe(SessionState.Bot);
    }

    [Fact]
    public async Task History_SeveralTurns_ReturnsEveryMessageAndTurnLogInOrder()
    {
        var store = OpenStore(loadedMessages: 2);
        var session = await store.CreateAsync(Ct);
        var at = DateTimeOffset.UtcNow;
        for (var turn = 1; turn <= 3; turn++)
        {
            await store.SaveAsync(session, [new SessionMessage("user", $"问{turn}", at), new SessionMessage("assistant", $"答{turn}", at)],
                new TurnLogEntry(at, "faq", $"reason {turn}", turn / 10.0, """[{"name":"query_order"}]""", turn != 2, turn == 3, turn * 1.5), Ct);
        }

        var history = await OpenStore().HistoryAsync(session.Id, Ct);

        history.Messages.Select(m => m.Content).ShouldBe(["问1", "答1", "问2", "答2", "问3", "答3"]);
        history.Turns.Select(t => t.Reason).ShouldBe(["reason 1", "reason 2", "reason 3"]);
        history.Turns[1].Resolved.ShouldBeFalse();
        history.Turns[2].Handoff.ShouldBeTrue();
        history.Turns[2].Confidence.ShouldBe(0.3);
        history.Turns[0].ToolCallsJson.ShouldBe("""[{"name":"query_order"}]""");
        history.Turns[2].LatencyMilliseconds.ShouldBe(4.5);
    }

    [Fact]
    public async Task Corrections_Saved_AreReadNewestFirstUpToTheLimit()
    {
        var store = OpenStore();
        var at = DateTimeOffset.UtcNow;
        await store.SaveCorrectionAsync(new CorrectedAnswer("s_1", "能开发票吗", null, "可以，确认收货后申请", "agent1", at), Ct);
        await store.SaveCorrectionAsync(new CorrectedAnswer("s_2", "几天到", "不知道", "江浙沪1–2天", "agent2", at.AddSeconds(1)), Ct);

        var corrections = await OpenStore().CorrectionsAsync(1, Ct);

        corrections.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            c => c.Question.ShouldBe("几天到"), c => c.BotAnswer.ShouldBe("不知道"), c => c.Agent.ShouldBe("agent2"));
    }

    private static async Task<Session> Queue(ISessionStore store, DateTimeOffset queuedAt)
    {
        var session = await store.CreateAsync(Ct);
        session.State = SessionState.WaitingForHuman;
        session.QueuedAt = queuedAt;
        session.HandoffReason = "customer_request";
        await store.SaveAsync(session, [], null, Ct);
        return session;
    }
}
