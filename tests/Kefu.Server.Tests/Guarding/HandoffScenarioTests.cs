using System.Net;
using System.Net.Http.Json;
using Kefu.Server.Tests.Support;

namespace Kefu.Server.Tests.Guarding;

public sealed class HandoffScenarioTests(DemoServerFixture fixture) : IClassFixture<DemoServerFixture>
{
    private RunningServer Server => fixture.Server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoUnansweredTurns_HandOff_AgentClaimsReplies_CustomerSeesIt_HandBack_BotAnswersAgain()
    {
        var first = await Json.PostAsync(Server.Http, "chat", new { message = "你们支持火星配送吗？" });
        var session = first.GetProperty("session_id").GetString()!;
        first.GetProperty("handoff").GetBoolean().ShouldBeFalse();
        var second = await Json.PostAsync(Server.Http, "chat", new { session_id = session, message = "那量子纠缠的包裹怎么算运费？" });
        second.GetProperty("handoff").GetBoolean().ShouldBeTrue();
        second.GetProperty("state").GetString().ShouldBe("waiting_for_human");
        second.GetProperty("reply").GetString()!.ShouldContain("排在第");

        // While waiting the bot only says the customer is queued.
        var waiting = await Json.PostAsync(Server.Http, "chat", new { session_id = session, message = "怎么开发票？" });
        waiting.GetProperty("reply").GetString()!.ShouldContain("队列");

        var queue = await Json.ReadAsync(await Server.Http.GetAsync("agent/queue", Ct));
        queue.EnumerateArray().Select(s => s.GetProperty("session_id").GetString()).ShouldContain(session);
        var claimed = await Json.PostAsync(Server.Http, $"agent/sessions/{session}/accept", new { });
        claimed.GetProperty("state").GetString().ShouldBe("human");
        claimed.GetProperty("assigned_agent").GetString().ShouldBe("agent");

        var history = await Json.ReadAsync(await Server.Http.GetAsync($"agent/sessions/{session}", Ct));
        history.GetProperty("handoff_reason").GetString().ShouldBe("unresolved");
        history.GetProperty("messages").GetArrayLength().ShouldBe(6);
        history.GetProperty("turns").GetArrayLength().ShouldBe(3);

        // The bot is silent while the agent owns the conversation.
        var silent = await Json.PostAsync(Server.Http, "chat", new { session_id = session, message = "有人吗" });
        silent.GetProperty("reply").GetString().ShouldBeEmpty();
        await Json.PostAsync(Server.Http, $"agent/sessions/{session}/reply", new { message = "您好，火星暂不配送，国内除港澳台外都可以送达。" });
        var customerView = await Json.ReadAsync(await Server.Http.GetAsync($"chat/sessions/{session}", Ct));
        var last = customerView.GetProperty("messages").EnumerateArray().Last();
        (last.GetProperty("role").GetString(), last.GetProperty("content").GetString()).ShouldBe(("agent", "您好，火星暂不配送，国内除港澳台外都可以送达。"));

        var corrections = await Json.ReadAsync(await Server.Http.GetAsync("agent/corrections", Ct));
        var correction = corrections.EnumerateArray().First(c => c.GetProperty("session_id").GetString() == session);
        correction.GetProperty("question").GetString().ShouldBe("有人吗");
        correction.GetProperty("agent_answer").GetString().ShouldStartWith("您好，火星暂不配送");

        (await Json.PostAsync(Server.Http, $"agent/sessions/{session}/release", new { })).GetProperty("state").GetString().ShouldBe("bot");
        var back = await Json.PostAsync(Server.Http, "chat", new { session_id = session, message = "怎么开发票？" });
        back.GetProperty("handoff").GetBoolean().ShouldBeFalse();
        back.GetProperty("reply").GetString()!.ShouldContain("发票");
    }

    [Fact]
    public async Task TwoAgentsClaimingAtOnce_OnlyOneWins_TheOtherGets409()
    {
        var handoff = await Json.PostAsync(Server.Http, "chat", new { message = "转人工" });
        var session = handoff.GetProperty("session_id").GetString()!;
        using var second = Server.Client(RunningServer.SecondAgentKey);

        var claims = await Task.WhenAll(
            Server.Http.PostAsJsonAsync($"agent/sessions/{session}/accept", new { }, Ct),
            second.PostAsJsonAsync($"agent/sessions/{session}/accept", new { }, Ct));

        claims.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        claims.Count(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBe(1);
        var loser = claims.Single(r => r.StatusCode == HttpStatusCode.Conflict) == claims[0] ? Server.Http : second;
        using var reply = await loser.PostAsJsonAsync($"agent/sessions/{session}/reply", new { message = "我来" }, Ct);
        reply.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        foreach (var claim in claims)
            claim.Dispose();
    }

    [Fact]
    public async Task StronglyNegativeMessage_HandsOffWithItsReason()
    {
        var turn = await Json.PostAsync(Server.Http, "chat", new { message = "受够了！！你们这什么垃圾服务，再也不买了" });

        turn.GetProperty("handoff").GetBoolean().ShouldBeTrue();
        var session = turn.GetProperty("session_id").GetString()!;
        var history = await Json.ReadAsync(await Server.Http.GetAsync($"agent/sessions/{session}", Ct));
        history.GetProperty("handoff_reason").GetString().ShouldBe("negative_sentiment");
    }
}
