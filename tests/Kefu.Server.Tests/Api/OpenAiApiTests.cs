using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kefu.Server.Tests.Support;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Kefu.Server.Tests.Api;

/// <summary>The OpenAI-compatible endpoints, spoken to by raw HTTP and by the OpenAI .NET client itself.</summary>
public sealed class OpenAiApiTests(DemoServerFixture fixture) : IClassFixture<DemoServerFixture>
{
    private RunningServer Server => fixture.Server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ChatCompletions_ReturnsAnOpenAiCompletion_WithKefuDetailsAlongside()
    {
        var completion = await Json.PostAsync(Server.Http, "v1/chat/completions", new
        {
            model = "kefu",
            messages = new[] { new { role = "user", content = "积分会过期吗？" } },
        });

        completion.GetProperty("object").GetString().ShouldBe("chat.completion");
        completion.GetProperty("id").GetString()!.ShouldStartWith("chatcmpl-");
        var choice = completion.GetProperty("choices")[0];
        choice.GetProperty("message").GetProperty("role").GetString().ShouldBe("assistant");
        choice.GetProperty("message").GetProperty("content").GetString()!.ShouldContain("12月31日");
        choice.GetProperty("finish_reason").GetString().ShouldBe("stop");
        completion.GetProperty("usage").GetProperty("total_tokens").GetInt32().ShouldBeGreaterThan(0);
        completion.GetProperty("kefu").GetProperty("sources").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task ChatCompletions_HistoryInTheRequest_ProvidesTheOrderNumber()
    {
        var completion = await Json.PostAsync(Server.Http, "v1/chat/completions", new
        {
            messages = new object[]
            {
                new { role = "system", content = "你是客服" },
                new { role = "user", content = "我的订单号是ORD12348" },
                new { role = "assistant", content = "好的" },
                new { role = "user", content = new[] { new { type = "text", text = "现在是什么状态" } } },
            },
        });

        completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!.ShouldContain("待发货");
        completion.GetProperty("kefu").GetProperty("tool_calls")[0].GetProperty("name").GetString().ShouldBe("query_order");
    }

    [Fact]
    public async Task ChatCompletions_Streamed_SendsServerSentEventChunksThenDone()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new { stream = true, messages = new[] { new { role = "user", content = "怎么开发票？" } } }),
        };
        using var response = await Server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        var events = (await response.Content.ReadAsStringAsync(Ct)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        events.ShouldAllBe(e => e.StartsWith("data: ", StringComparison.Ordinal));
        events[^1].ShouldBe("data: [DONE]");
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        chunks.ShouldAllBe(c => c.GetProperty("object").GetString() == "chat.completion.chunk");
        chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString().ShouldBe("assistant");
        chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString().ShouldBe("stop");
        var text = string.Concat(chunks.Select(c => c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var t) ? t.GetString() : ""));
        text.ShouldContain("申请开票");
        chunks.Count.ShouldBeGreaterThan(3);
    }

    [Fact]
    public async Task OpenAiDotNetClient_TalksToKefu_WholeAndStreamed()
    {
        var client = new OpenAIClient(new ApiKeyCredential(RunningServer.CustomerKey), new OpenAIClientOptions { Endpoint = new Uri(Server.Address, "v1/") })
            .GetChatClient("kefu").AsIChatClient();

        var whole = await client.GetResponseAsync("积分会过期吗？", cancellationToken: Ct);
        var streamed = new StringBuilder();
        await foreach (var update in client.GetStreamingResponseAsync("积分会过期吗？", cancellationToken: Ct))
            streamed.Append(update.Text);

        whole.Text.ShouldContain("12月31日");
        streamed.ToString().ShouldBe(whole.Text);
    }

    [Fact]
    public async Task Models_ListsTheRetrievalOnlyModel()
    {
        var models = await Json.ReadAsync(await Server.Http.GetAsync("v1/models", Ct));

        models.GetProperty("object").GetString().ShouldBe("list");
        models.GetProperty("data")[0].GetProperty("id").GetString().ShouldBe("kefu-retrieval");
    }

    [Fact]
    public async Task ChatCompletions_LastMessageNotFromTheUser_Is400ValidationProblem()
    {
        using var response = await Server.Http.PostAsJsonAsync("v1/chat/completions",
            new { messages = new[] { new { role = "assistant", content = "你好" } } }, Ct);

        (await ChatApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("messages").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task ChatCompletions_SessionHeader_KeepsStateInKefu()
    {
        var first = await Json.PostAsync(Server.Http, "chat", new { message = "我的订单是ORD12345" });
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new { messages = new[] { new { role = "user", content = "物流到哪了" } } }),
        };
        request.Headers.Add("X-Kefu-Session-Id", first.GetProperty("session_id").GetString());

        var completion = await Json.ReadAsync(await Server.Http.SendAsync(request, Ct));

        completion.GetProperty("kefu").GetProperty("tool_calls")[0].GetProperty("arguments").GetString()!.ShouldContain("ORD12345");
    }
}
