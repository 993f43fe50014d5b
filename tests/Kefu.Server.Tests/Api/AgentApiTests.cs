using System.Net;
using System.Net.Http.Json;
using Kefu.Server.Tests.Support;

namespace Kefu.Server.Tests.Api;

public sealed class AgentApiTests(DemoServerFixture fixture) : IClassFixture<DemoServerFixture>
{
    private RunningServer Server => fixture.Server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HandedOffConversation_IsTakenAnsweredAndHandedBack_ByAnAgent()
    {
        var handoff = await Json.PostAsync(Server.Http, "chat", new { message = "帮我接一下人工" });
        var session = handoff.GetProperty("session_id").GetString()!;
        handoff.GetProperty("state").GetString().ShouldBe("waiting_for_human");

        var queue = await Json.ReadAsync(await Server.Http.GetAsync("agent/queue", Ct));
        queue.EnumerateArray().Select(s => s.GetProperty("session_id").GetString()).ShouldContain(session);

        (await Json.PostAsync(Server.Http, $"agent/sessions/{session}/accept", new { })).GetProperty("state").GetString().ShouldBe("human");
        await Json.PostAsync(Server.Http, $"agent/sessions/{session}/reply", new { message = "您好，我是人工客服小王" });
        var customerView = await Json.ReadAsync(await Server.Http.GetAsync($"chat/sessions/{session}", Ct));
        var last = customerView.GetProperty("messages").EnumerateArray().Last();
        (last.GetProperty("role").GetString(), last.GetProperty("content").GetString()).ShouldBe(("agent", "您好，我是人工客服小王"));

        (await Json.PostAsync(Server.Http, $"agent/sessions/{session}/release", new { })).GetProperty("state").GetString().ShouldBe("bot");
        var back = await Json.PostAsync(Server.Http, "chat", new { session_id = session, message = "怎么开发票？" });
        back.GetProperty("handoff").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task ReplyBeforeAccepting_Is409ProblemDetails()
    {
        var handoff = await Json.PostAsync(Server.Http, "chat", new { message = "转人工" });

        using var response = await Server.Http.PostAsJsonAsync($"agent/sessions/{handoff.GetProperty("session_id").GetString()}/reply", new { message = "你好" }, Ct);

        await ChatApiTests.ShouldBeProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task CustomerKey_OnAgentEndpoints_Is403ProblemDetails()
    {
        using var customer = Server.Client(RunningServer.CustomerKey);

        using var response = await customer.GetAsync("agent/queue", Ct);

        await ChatApiTests.ShouldBeProblemAsync(response, HttpStatusCode.Forbidden);
    }
}
