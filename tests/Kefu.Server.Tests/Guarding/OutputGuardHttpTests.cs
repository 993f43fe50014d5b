using System.Net.Http.Json;
using System.Text.Json;
using Kefu.Server.Tests.Support;

namespace Kefu.Server.Tests.Guarding;

public sealed class OutputGuardHttpTests
{
    private const string Fallback = "抱歉";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RepeatingModelReply_IsReplacedByTheFallback_AndCountsAsUnresolved()
    {
        var loop = string.Concat(Enumerable.Repeat("亲亲您好，退货请在订单页申请。", 12));
        await using var model = await FakeOpenAiServer.StartAsync("qwen2-kefu", _ => FakeOpenAiServer.Text(loop));
        await using var server = await RunningServer.StartDemoAsync(o => o.BackendUrl = model.Address);

        var first = await Json.PostAsync(server.Http, "chat", new { message = "我想退货怎么操作" });
        first.GetProperty("reply").GetString()!.ShouldStartWith(Fallback);
        first.GetProperty("reply").GetString()!.ShouldNotContain("亲亲您好，退货请在订单页申请。亲亲您好");
        var second = await Json.PostAsync(server.Http, "chat", new { session_id = first.GetProperty("session_id").GetString(), message = "那换货呢" });

        second.GetProperty("handoff").GetBoolean().ShouldBeTrue(); // two fallbacks in a row: the seed's hand-off rule
        var metrics = await server.Http.GetStringAsync("metrics", Ct);
        metrics.ShouldContain("kefu_safety_anomalies");
    }

    [Fact]
    public async Task ModelStreamingABlockedWordSplitAcrossChunks_NeverDeliversItOverSse()
    {
        // The fake streams two characters per chunk: "加微" and "信…" arrive in different chunks.
        await using var model = await FakeOpenAiServer.StartAsync("qwen2-kefu", _ => FakeOpenAiServer.Text("好的亲，可以加微信qh2024细聊哦"));
        await using var server = await RunningServer.StartDemoAsync(o => o.BackendUrl = model.Address);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new { stream = true, messages = new[] { new { role = "user", content = "你们有没有别的联系方式" } } }),
        };

        using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        events[^1].ShouldBe("data: [DONE]");
        var deltas = events[..^1]
            .Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement.GetProperty("choices")[0].GetProperty("delta"))
            .Select(d => d.TryGetProperty("content", out var c) ? c.GetString() : "")
            .ToList();
        var text = string.Concat(deltas);
        text.ShouldNotContain("微信");
        text.ShouldNotContain("qh2024");
        text.ShouldStartWith("好的亲，可以");
        text.ShouldContain("没能给出合适的答复");
    }

    [Fact]
    public async Task ModelReplyWithABlockedWord_OnChat_IsReplacedBeforeTheCustomerSeesIt()
    {
        await using var model = await FakeOpenAiServer.StartAsync("qwen2-kefu", _ => FakeOpenAiServer.Text("好的亲，可以加微信qh2024细聊哦"));
        await using var server = await RunningServer.StartDemoAsync(o => o.BackendUrl = model.Address);

        var reply = await Json.PostAsync(server.Http, "chat", new { message = "你们有没有别的联系方式" });

        reply.GetProperty("reply").GetString()!.ShouldNotContain("微信");
    }
}
