using Kefu.Service.Tests.Support;
using Microsoft.Extensions.AI;

namespace Kefu.Service.Tests.Responding;

/// <summary>The brain with a model behind IChatClient (a scripted fake here; real servers in Kefu.Server.Tests).</summary>
public sealed class ModelResponderTests
{
    [Fact]
    public async Task ModelCallsATool_TheToolRuns_AndTheModelsFinalTextIsTheReply()
    {
        var model = new FakeChatClient(messages => messages[^1].Role == ChatRole.Tool
            ? new ChatResponse(new ChatMessage(ChatRole.Assistant, "亲，您的订单已发货，中通快递运输中。"))
            : new ChatResponse(new ChatMessage(ChatRole.Assistant,
                [new FunctionCallContent("call-1", "track_logistics", new Dictionary<string, object?> { ["order_id"] = "ORD12345" })])));
        await using var harness = await ServiceHarness.CreateAsync(model);

        var turn = await harness.SayAsync(null, "ORD12345到哪了");

        turn.Reply.ShouldBe("亲，您的订单已发货，中通快递运输中。");
        turn.ToolCalls.ShouldHaveSingleItem().Outcome.ShouldBe("success");
        var toolResult = model.Requests[^1][^1].Contents.OfType<FunctionResultContent>().ShouldHaveSingleItem();
        toolResult.CallId.ShouldBe("call-1");
        toolResult.Result!.ToString()!.ShouldContain("ZTO731204568812");
    }

    [Fact]
    public async Task ModelGetsTheRetrievedKnowledgeAndTheConversationInItsPrompt()
    {
        var model = new FakeChatClient(_ => new ChatResponse(new ChatMessage(ChatRole.Assistant, "积分在获得次年的12月31日过期哦。")));
        await using var harness = await ServiceHarness.CreateAsync(model);

        var first = await harness.SayAsync(null, "你好");
        var turn = await harness.SayAsync(first.SessionId, "积分会过期吗");

        var request = model.Requests[^1];
        request[0].Role.ShouldBe(ChatRole.System);
        request[0].Text.ShouldContain("【参考资料】");
        request[0].Text.ShouldContain("积分在获得次年的12月31日过期。");
        request.Select(m => m.Text).ShouldContain("你好");
        request[^1].Text.ShouldBe("积分会过期吗");
        turn.Sources.ShouldContain(s => s.Anchor == "f4");
    }

    [Fact]
    public async Task ModelRequestsARefundBeforeTheCustomerConfirmed_TheCallIsHeld_UntilTheCustomerSaysYes()
    {
        var model = new FakeChatClient(messages => messages[^1].Role == ChatRole.Tool
            ? new ChatResponse(new ChatMessage(ChatRole.Assistant, "请确认：为订单ORD12346申请退货退款，原因不想要了。回复“确认”提交。"))
            : new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-1", "request_refund", new Dictionary<string, object?>
            {
                ["order_id"] = "ORD12346", ["reason"] = "不想要了", ["refund_type"] = "退货退款",
            })])));
        await using var harness = await ServiceHarness.CreateAsync(model);

        var held = await harness.SayAsync(null, "ORD12346不想要了，帮我退货");
        harness.Orders.RequestRefund.Calls.ShouldBeEmpty();
        held.ToolCalls.ShouldHaveSingleItem().Outcome.ShouldBe("needs_confirmation");

        var confirmed = await harness.SayAsync(held.SessionId, "确认");

        harness.Orders.RequestRefund.Calls.ShouldHaveSingleItem().GetProperty("reason").GetString().ShouldBe("不想要了");
        confirmed.Reply.ShouldContain("RF12346");
    }

    [Fact]
    public async Task ModelFails_TheTurnIsAnsweredInRetrievalOnlyMode()
    {
        var model = new FakeChatClient(_ => throw new HttpRequestException("connection refused"));
        await using var harness = await ServiceHarness.CreateAsync(model);

        var turn = await harness.SayAsync(null, "积分会过期吗");

        turn.Reply.ShouldContain("12月31日");
        turn.Sources.ShouldHaveSingleItem().Anchor.ShouldBe("f4");
    }

    [Fact]
    public async Task ModelSaysItDoesNotKnow_TheTurnCountsAsUnanswered()
    {
        var model = new FakeChatClient(_ => new ChatResponse(new ChatMessage(ChatRole.Assistant, "抱歉，这个我不太清楚，建议您转人工咨询。")));
        await using var harness = await ServiceHarness.CreateAsync(model);

        var first = await harness.SayAsync(null, "你们仓库在哪个城市");
        var second = await harness.SayAsync(first.SessionId, "那仓库电话是多少");

        first.Handoff.ShouldBeFalse();
        second.Handoff.ShouldBeTrue();
    }
}
