using System.Net;
using Kefu.Browser.Tests.Support;

namespace Kefu.Browser.Tests;

/// <summary>The public customer channel the chat page and the widget use: no API key, a session id as the credential.</summary>
public sealed class CustomerChannelApiTests : IAsyncLifetime
{
    private KefuTestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await KefuTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Chat_WithoutApiKey_StreamsDeltasThenDoneWithSources()
    {
        using var customer = _server.Client();
        var events = await Json.CustomerChatAsync(customer, null, "退货运费谁出？");
        events.Count(e => e.Type == "delta").ShouldBeGreaterThan(1);
        var done = Json.Done(events);
        var streamed = string.Concat(events.Where(e => e.Type == "delta").Select(e => e.Data.GetProperty("text").GetString()));
        streamed.ShouldBe(done.GetProperty("reply").GetString());
        done.GetProperty("sources")[0].GetProperty("title").GetString().ShouldBe("退货运费谁出？");
        done.GetProperty("state").GetString().ShouldBe("bot");
        done.GetProperty("session_id").GetString().ShouldStartWith("s_");
    }

    [Fact]
    public async Task Chat_OrderLookup_DoneCarriesOrderCardWithoutAddress()
    {
        using var customer = _server.Client();
        var done = Json.Done(await Json.CustomerChatAsync(customer, null, "帮我查一下订单ORD12345的状态"));
        var order = done.GetProperty("order");
        order.GetProperty("order_id").GetString().ShouldBe("ORD12345");
        order.GetProperty("status").GetString().ShouldBe("已发货");
        order.GetProperty("items")[0].GetProperty("name").GetString().ShouldNotBeNullOrEmpty();
        order.TryGetProperty("address", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Session_AfterHandoff_ShowsQueuePositionAndThenAgentReply()
    {
        using var customer = _server.Client();
        var done = Json.Done(await Json.CustomerChatAsync(customer, null, "转人工"));
        var sessionId = done.GetProperty("session_id").GetString()!;
        done.GetProperty("queue_position").GetInt32().ShouldBe(1);
        (await Json.GetAsync(customer, $"api/customer/sessions/{sessionId}")).GetProperty("state").GetString().ShouldBe("waiting_for_human");

        using var agent = _server.Client(withKey: true);
        await Json.PostAsync(agent, $"agent/sessions/{sessionId}/accept", new { });
        await Json.PostAsync(agent, $"agent/sessions/{sessionId}/reply", new { message = "您好，人工客服为您服务" });
        var session = await Json.GetAsync(customer, $"api/customer/sessions/{sessionId}");
        session.GetProperty("state").GetString().ShouldBe("human");
        session.GetProperty("queue_position").GetInt32().ShouldBe(0);
        session.GetProperty("messages").EnumerateArray().Last().GetProperty("role").GetString().ShouldBe("agent");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public async Task Rating_OutsideOneToFive_Returns400(int score)
    {
        using var customer = _server.Client();
        var sessionId = Json.Done(await Json.CustomerChatAsync(customer, null, "你好")).GetProperty("session_id").GetString();
        using var response = await customer.PostAsync($"api/customer/sessions/{sessionId}/rating", Json.Body(new { score }), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Rating_UnknownSession_Returns404()
    {
        using var customer = _server.Client();
        using var response = await customer.PostAsync("api/customer/sessions/s_nope/rating", Json.Body(new { score = 5 }), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Chat_UnknownSession_Returns404BeforeStreaming()
    {
        using var customer = _server.Client();
        using var response = await customer.PostAsync("api/customer/chat", Json.Body(new { session_id = "s_0000", message = "在吗" }), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Chat_MoreMessagesThanTheAddressAllowance_Returns429()
    {
        await using var strict = await KefuTestServer.StartAsync(o => o.CustomerMessagesPerMinute = 2);
        using var customer = strict.Client();
        await Json.CustomerChatAsync(customer, null, "你好");
        await Json.CustomerChatAsync(customer, null, "在吗");
        using var third = await customer.PostAsync("api/customer/chat", Json.Body(new { message = "还在吗" }), TestContext.Current.CancellationToken);
        third.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Pages_AreServedWithStrictContentSecurityPolicy_OnlyTheChatMayBeFramed()
    {
        using var http = _server.Client();
        foreach (var (page, frameAncestors) in new[] { ("", "frame-ancestors *"), ("chat", "frame-ancestors *"), ("agent", "frame-ancestors 'none'"), ("dashboard", "frame-ancestors 'none'") })
        {
            using var response = await http.GetAsync(page, TestContext.Current.CancellationToken);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, page);
            var policy = response.Headers.GetValues("Content-Security-Policy").Single();
            policy.ShouldContain("script-src 'self'");
            policy.ShouldNotContain("unsafe-inline");
            policy.ShouldEndWith(frameAncestors, customMessage: page);
            (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("<!doctype html>");
        }
        using var widget = await http.GetAsync("widget.js", TestContext.Current.CancellationToken);
        widget.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
