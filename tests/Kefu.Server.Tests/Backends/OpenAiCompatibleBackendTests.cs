using Kefu.Server.Tests.Support;

namespace Kefu.Server.Tests.Backends;

/// <summary>--backend URL: the brain answers through an OpenAI-compatible server, tools included.</summary>
public sealed class OpenAiCompatibleBackendTests
{
    [Fact]
    public async Task Backend_CallsATool_KefuRunsItAgainstTheShop_AndReturnsTheModelsAnswer()
    {
        await using var model = await FakeOpenAiServer.StartAsync("qwen2-kefu", request =>
        {
            var messages = request["messages"]!.AsArray();
            return messages[^1]!["role"]!.GetValue<string>() == "tool"
                ? FakeOpenAiServer.Text("亲，您的包裹由顺丰速运配送，正在派送中。")
                : FakeOpenAiServer.ToolCall("track_logistics", new { order_id = "ORD12354" });
        });
        await using var server = await RunningServer.StartDemoAsync(o => o.BackendUrl = model.Address);

        var reply = await Json.PostAsync(server.Http, "chat", new { message = "ORD12354到哪了" });

        reply.GetProperty("reply").GetString().ShouldBe("亲，您的包裹由顺丰速运配送，正在派送中。");
        reply.GetProperty("tool_calls")[0].GetProperty("outcome").GetString().ShouldBe("success");
        var toolRound = model.Requests.Last(r => r["messages"]!.AsArray()[^1]!["role"]!.GetValue<string>() == "tool");
        toolRound["messages"]!.AsArray()[^1]!["content"]!.GetValue<string>().ShouldContain("SF");
        var tools = toolRound["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>());
        tools.ShouldBe(["query_order", "track_logistics", "request_refund", "change_address"]);
        toolRound["messages"]!.AsArray()[0]!["role"]!.GetValue<string>().ShouldBe("system");
    }

    [Fact]
    public async Task StreamedCompletion_ThroughKefu_RelaysTheModelsTokens_AfterRunningItsToolCall()
    {
        await using var model = await FakeOpenAiServer.StartAsync("qwen2-kefu", request =>
            request["messages"]!.AsArray()[^1]!["role"]!.GetValue<string>() == "tool"
                ? FakeOpenAiServer.Text("亲，订单ORD12348还在等待发货。")
                : FakeOpenAiServer.ToolCall("query_order", new { order_id = "ORD12348" }));
        await using var server = await RunningServer.StartDemoAsync(o => o.BackendUrl = model.Address);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { stream = true, messages = new[] { new { role = "user", content = "ORD12348发货了吗" } } }),
        };

        using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var events = (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        var chunks = events[..^1].Select(e => System.Text.Json.JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        var text = string.Concat(chunks.Select(c => c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var t) ? t.GetString() : ""));
        text.ShouldBe("亲，订单ORD12348还在等待发货。");
        chunks[^1].GetProperty("kefu").GetProperty("tool_calls")[0].GetProperty("outcome").GetString().ShouldBe("success");
        model.Requests.ShouldAllBe(r => r["stream"]!.GetValue<bool>());
        events[^1].ShouldBe("data: [DONE]");
    }

    [Fact]
    public async Task Backend_ModelName_IsDiscoveredFromItsModelsList_AndReported()
    {
        await using var model = await FakeOpenAiServer.StartAsync("qwen2-kefu-7b", _ => FakeOpenAiServer.Text("您好"));
        await using var server = await RunningServer.StartDemoAsync(o => o.BackendUrl = new Uri(model.Address.GetLeftPart(UriPartial.Authority)));

        var models = await Json.ReadAsync(await server.Http.GetAsync("v1/models", TestContext.Current.CancellationToken));

        models.GetProperty("data")[0].GetProperty("id").GetString().ShouldBe("qwen2-kefu-7b");
    }

    [Fact]
    public async Task Backend_Unreachable_AtStartUp_FailsWithAMessage()
    {
        var error = await Should.ThrowAsync<InvalidOperationException>(() =>
            RunningServer.StartDemoAsync(o => o.BackendUrl = new Uri("http://127.0.0.1:9/v1")));

        error.Message.ShouldContain("--backend-model");
    }

    [Theory]
    [InlineData("http://127.0.0.1:8000", "http://127.0.0.1:8000/v1/")]
    [InlineData("http://127.0.0.1:8000/v1", "http://127.0.0.1:8000/v1/")]
    [InlineData("http://127.0.0.1:11434/v1/", "http://127.0.0.1:11434/v1/")]
    public void ApiRoot_AppendsV1WhenMissing(string url, string root)
    {
        Kefu.Service.OpenAiCompatibleServer.ApiRoot(new Uri(url)).ShouldBe(new Uri(root));
    }

    [Fact]
    public async Task Backend_ReceivesTheDemoTrainingSystemPrompt()
    {
        await using var model = await FakeOpenAiServer.StartAsync("m", _ => FakeOpenAiServer.Text("积分在次年12月31日过期。"));
        await using var server = await RunningServer.StartDemoAsync(o => o.BackendUrl = model.Address);

        await Json.PostAsync(server.Http, "chat", new { message = "积分会过期吗" });

        var system = model.Requests[^1]["messages"]!.AsArray()[0]!["content"]!.GetValue<string>();
        system.ShouldContain("小禾");
        system.ShouldContain("【参考资料】");
    }
}
