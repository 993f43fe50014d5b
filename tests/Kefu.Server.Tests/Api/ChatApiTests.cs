using System.Net;
using System.Net.Http.Json;
using System.Text;
using Kefu.Server.Tests.Support;

namespace Kefu.Server.Tests.Api;

/// <summary>POST /chat over real HTTP, with tools calling the demo shop's API over real HTTP.</summary>
public sealed class ChatApiTests(DemoServerFixture fixture) : IClassFixture<DemoServerFixture>
{
    private RunningServer Server => fixture.Server;

    [Fact]
    public async Task Chat_NewSession_AnswersFromKnowledge_WithSourcesAndLatency()
    {
        var reply = await Json.PostAsync(Server.Http, "chat", new { message = "退货运费谁出？" });

        reply.GetProperty("session_id").GetString()!.ShouldStartWith("s_");
        reply.GetProperty("reply").GetString()!.ShouldContain("12元");
        reply.GetProperty("sources")[0].GetProperty("source").GetString().ShouldBe("faq.csv");
        reply.GetProperty("tool_calls").GetArrayLength().ShouldBe(0);
        reply.GetProperty("handoff").GetBoolean().ShouldBeFalse();
        reply.GetProperty("latency_ms").GetDouble().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Chat_UnshippedDemoOrder_CarriesTheDemoShopsDispatchRuleFromShopJson()
    {
        var reply = await Json.PostAsync(Server.Http, "chat", new { message = "查一下订单ORD12348的状态" });

        reply.GetProperty("tool_calls")[0].GetProperty("name").GetString().ShouldBe("query_order");
        reply.GetProperty("reply").GetString()!.ShouldContain("16:00前付款当天发货"); // samples/ecommerce/shop.json
    }

    [Fact]
    public async Task Chat_OrderNumberGivenTwoTurnsEarlier_IsTrackedThroughTheShopApi()
    {
        var first = await Json.PostAsync(Server.Http, "chat", new { message = "你好，我的订单是ORD12354" });
        var session = first.GetProperty("session_id").GetString();
        await Json.PostAsync(Server.Http, "chat", new { session_id = session, message = "顺丰要加多少钱？" });
        var third = await Json.PostAsync(Server.Http, "chat", new { session_id = session, message = "麻烦看看物流走到哪一步了" });

        var call = third.GetProperty("tool_calls")[0];
        call.GetProperty("name").GetString().ShouldBe("track_logistics");
        call.GetProperty("arguments").GetString()!.ShouldContain("ORD12354");
        call.GetProperty("outcome").GetString().ShouldBe("success");
        third.GetProperty("reply").GetString()!.ShouldContain("顺丰");
    }

    [Fact]
    public async Task Chat_QuestionOutsideTheKnowledge_GetsAnHonestDontKnow()
    {
        var reply = await Json.PostAsync(Server.Http, "chat", new { message = "推荐几只明年能翻倍的基金" });

        reply.GetProperty("reply").GetString()!.ShouldContain("没有找到确切的答案");
        reply.GetProperty("sources").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Chat_AddressChangeOfAShippedOrder_IsRefusedByTheShop()
    {
        var reply = await Json.PostAsync(Server.Http, "chat", new { message = "ORD12345的收货地址改成上海市浦东新区世纪大道100号" });

        reply.GetProperty("tool_calls")[0].GetProperty("outcome").GetString().ShouldBe("refused");
        reply.GetProperty("reply").GetString()!.ShouldContain("改派");
    }

    [Fact]
    public async Task Chat_UnknownSession_Is404ProblemDetails()
    {
        using var response = await Server.Http.PostAsJsonAsync("chat", new { session_id = "s_does_not_exist", message = "你好" }, TestContext.Current.CancellationToken);

        await ShouldBeProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Chat_MalformedJson_Is400ProblemDetails()
    {
        using var response = await Server.Http.PostAsync("chat", new StringContent("{\"message\": \"你好", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Chat_EmptyMessage_Is400ValidationProblemNamingTheField()
    {
        using var response = await Server.Http.PostAsJsonAsync("chat", new { message = "  " }, TestContext.Current.CancellationToken);

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("message").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Chat_MessageLongerThanAllowed_Is400ValidationProblem()
    {
        using var response = await Server.Http.PostAsJsonAsync("chat", new { message = new string('长', 3000) }, TestContext.Current.CancellationToken);

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("message")[0].GetString()!.ShouldContain("2000");
    }

    [Fact]
    public async Task Chat_HugeBody_Is413ProblemDetails()
    {
        var body = "{\"message\":\"" + new string('x', 200_000) + "\"}";

        using var response = await Server.Http.PostAsync("chat", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        await ShouldBeProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("wrong-key")]
    [InlineData(null)]
    public async Task Chat_WrongOrMissingApiKey_Is401ProblemDetails(string? key)
    {
        using var http = Server.Client(key);

        using var response = await http.PostAsJsonAsync("chat", new { message = "你好" }, TestContext.Current.CancellationToken);

        await ShouldBeProblemAsync(response, HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ShouldHaveSingleItem().Scheme.ShouldBe("Bearer");
    }

    [Fact]
    public async Task Chat_ApiKeyInXApiKeyHeader_IsAccepted()
    {
        using var http = Server.Client(null);
        http.DefaultRequestHeaders.Add("X-Api-Key", RunningServer.CustomerKey);

        using var response = await http.PostAsJsonAsync("chat", new { message = "你好" }, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Session_CanBeReadBack_WithSlotsAndMessages()
    {
        var turn = await Json.PostAsync(Server.Http, "chat", new { message = "我的订单是ORD12348，还没发货吗" });
        var session = turn.GetProperty("session_id").GetString();

        using var response = await Server.Http.GetAsync($"chat/sessions/{session}", TestContext.Current.CancellationToken);
        var view = await Json.ReadAsync(response);

        view.GetProperty("slots").GetProperty("order_id").GetString().ShouldBe("ORD12348");
        view.GetProperty("messages").GetArrayLength().ShouldBe(2);
        view.GetProperty("state").GetString().ShouldBe("bot");
    }

    internal static async Task<System.Text.Json.JsonElement> ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = await Json.ReadAsync(response);
        problem.GetProperty("status").GetInt32().ShouldBe((int)status);
        problem.GetProperty("title").GetString().ShouldNotBeNullOrEmpty();
        return problem;
    }
}
