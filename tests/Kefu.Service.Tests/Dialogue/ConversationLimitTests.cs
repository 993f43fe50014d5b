using Kefu.Service.Dialogue;
using Kefu.Service.Tests.Support;

namespace Kefu.Service.Tests.Dialogue;

/// <summary>The most customer messages one conversation may hold (<see cref="KefuServiceOptions.MaxCustomerTurns"/>).</summary>
public sealed class ConversationLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Handle_SessionAtTheLimit_ThrowsNamingTheLimitAndStoresNothing()
    {
        await using var harness = await ServiceHarness.CreateAsync(configure: o => o.MaxCustomerTurns = 2);
        var sessionId = (await harness.SayAsync(null, "退货的运费要我自己出吗")).SessionId;
        await harness.SayAsync(sessionId, "你好");
        var before = (await harness.Agents.HistoryAsync(sessionId, Ct)).History;

        var refused = await Should.ThrowAsync<ConversationLimitException>(() => harness.SayAsync(sessionId, "发票怎么开"));

        refused.Limit.ShouldBe(2);
        refused.SessionId.ShouldBe(sessionId);
        refused.Message.ShouldContain("MaxCustomerTurns = 2");
        var after = (await harness.Agents.HistoryAsync(sessionId, Ct)).History;
        after.Messages.Count.ShouldBe(before.Messages.Count);
        after.Turns.Count.ShouldBe(before.Turns.Count);
    }

    [Fact]
    public async Task Handle_TwoMessagesAtOnceWithOneTurnLeft_ExactlyOneIsTaken()
    {
        await using var harness = await ServiceHarness.CreateAsync(configure: o => o.MaxCustomerTurns = 2);
        var sessionId = (await harness.SayAsync(null, "你好")).SessionId;

        var attempts = await Task.WhenAll(
            Task.Run(() => Attempt(harness, sessionId, "退货的运费要我自己出吗"), Ct),
            Task.Run(() => Attempt(harness, sessionId, "发票怎么开"), Ct));

        attempts.Count(taken => taken).ShouldBe(1);
        var history = (await harness.Agents.HistoryAsync(sessionId, Ct)).History;
        history.Messages.Count(m => m.Role == SessionMessage.User).ShouldBe(2);
    }

    [Fact]
    public async Task HandleStateless_HistoryWithTheLimitOfCustomerMessages_ThrowsButOneFewerIsAnswered()
    {
        await using var harness = await ServiceHarness.CreateAsync(configure: o => o.MaxCustomerTurns = 2);
        SessionMessage[] oneEarlier = [new(SessionMessage.User, "你好", DateTimeOffset.UtcNow), new(SessionMessage.Assistant, "您好", DateTimeOffset.UtcNow)];

        (await harness.Dialogue.HandleStatelessAsync(oneEarlier, "发票怎么开", Ct)).Reply.ShouldNotBeNullOrEmpty();
        await Should.ThrowAsync<ConversationLimitException>(() =>
            harness.Dialogue.HandleStatelessAsync([.. oneEarlier, new(SessionMessage.User, "谢谢", DateTimeOffset.UtcNow)], "发票怎么开", Ct));
    }

    [Fact]
    public async Task LimitHandoff_BotConversation_GoesToAPersonWithOneNoticeAndFurtherMessagesStoreNothing()
    {
        await using var harness = await ServiceHarness.CreateAsync(configure: o => o.MaxCustomerTurns = 1);
        var sessionId = (await harness.SayAsync(null, "你好")).SessionId;
        var streamed = new List<string>();

        var turn = await harness.TurnLimit.HandleAsync(sessionId, (text, _) =>
        {
            streamed.Add(text);
            return ValueTask.CompletedTask;
        }, Ct);

        turn.State.ShouldBe(SessionState.WaitingForHuman);
        turn.Handoff.ShouldBeTrue();
        turn.Reply.ShouldStartWith("本次对话已达到1条消息的上限");
        turn.Reply.ShouldContain("人工客服服务时间为每天9:00–22:00");
        string.Concat(streamed).ShouldBe(turn.Reply);
        var (session, history) = await harness.Agents.HistoryAsync(sessionId, Ct);
        session.HandoffReason.ShouldBe(ConversationLimitHandoff.Reason);
        history.Messages[^1].Content.ShouldBe(turn.Reply);
        var stored = history.Messages.Count;

        var again = await harness.TurnLimit.HandleAsync(sessionId, null, Ct);

        again.Reply.ShouldContain("人工客服会在这里继续回复您");
        (await harness.Agents.HistoryAsync(sessionId, Ct)).History.Messages.Count.ShouldBe(stored);
    }

    private static async Task<bool> Attempt(ServiceHarness harness, string sessionId, string message)
    {
        try
        {
            await harness.SayAsync(sessionId, message);
            return true;
        }
        catch (ConversationLimitException)
        {
            return false;
        }
    }
}
