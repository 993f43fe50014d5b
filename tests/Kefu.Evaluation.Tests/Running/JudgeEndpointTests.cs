using System.Net;
using System.Text.Json.Nodes;
using Kefu.Evaluation.Judging;
using Kefu.Evaluation.Metrics;
using Kefu.Evaluation.Running;
using Kefu.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Kefu.Evaluation.Tests.Running;

/// <summary>The judge behind an OpenAI-compatible endpoint (a scripted one on loopback), as <c>kefu eval --judge URL</c> uses it.</summary>
public sealed class JudgeEndpointTests
{
    [Fact]
    public async Task Evaluate_WithJudgeEndpoint_AsksForEveryScenarioAndReportsTheMeanScore()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        await using var app = builder.Build();
        var prompts = new List<string>();
        app.MapGet("/v1/models", () => Results.Json(new { @object = "list", data = new[] { new { id = "judge-7b", @object = "model", owned_by = "test" } } }));
        app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            var request = (await JsonNode.ParseAsync(http.Request.Body, cancellationToken: ct))!;
            var prompt = request["messages"]!.AsArray().Last()!["content"]!.GetValue<string>();
            lock (prompts)
                prompts.Add(prompt);
            // A strict judge: replies that name 12元 get 5, the rest 1.
            var score = prompt.Contains("客服回复：12元", StringComparison.Ordinal) ? 5 : 1;
            return Results.Json(new
            {
                id = "x", @object = "chat.completion", created = 1, model = "judge-7b",
                choices = new[] { new { index = 0, message = new { role = "assistant", content = $"分数: {score}" }, finish_reason = "stop" } },
            });
        });
        await app.StartAsync(ct);
        var judge = await OpenAiJudgeClient.CreateAsync(new Uri(app.Urls.First()), null, null, ct);

        using var temp = new TempDirectory();
        File.WriteAllLines(temp.File("r.jsonl"),
        [
            """{"id":"a","turns":["运费险赔多少"],"expect":{"facts":["12元"]}}""",
            """{"id":"b","turns":["运费险赔多少？"],"expect":{"facts":["12元"]}}""",
        ]);
        var target = new ChatClientTarget(new EchoClient(), "echo");
        var report = await Evaluator.RunAsync(target, temp.File("r.jsonl"), new EvaluationOptions { Judge = new LlmJudge(judge) }, ct);

        prompts.Count.ShouldBe(2);
        report.Results.Single(r => r.Id == "a").JudgeScore.ShouldBe(1.0);
        report.Results.Single(r => r.Id == "b").JudgeScore.ShouldBe(0.0);
        report.Metrics[EvalMetrics.Judge].ShouldBe(0.5);
    }

    /// <summary>Answers "12元" to a question without a question mark, and "不知道" otherwise.</summary>
    private sealed class EchoClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, messages.Last().Text.EndsWith('？') ? "不知道" : "12元")));

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }
}
