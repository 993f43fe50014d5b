using System.Diagnostics;
using Kefu.Server.Tests.Support;

namespace Kefu.Server.Tests.Observability;

/// <summary>
/// One /chat turn over real HTTP yields a trace: the server's request span, the service's <c>kefu.turn</c> under it,
/// and a span per stage under that — with decisions in the tags and none of the customer's words.
/// </summary>
public sealed class TurnTracingTests(DemoServerFixture fixture) : IClassFixture<DemoServerFixture>
{
    private const string Phone = "13812345678";

    [Fact]
    public async Task ChatTurn_OverHttp_HasStageSpansUnderTheTurnUnderTheRequest()
    {
        using var recorder = new SpanRecorder();
        var message = $"ORD12345到哪了？我电话{Phone}";
        ActivityTraceId trace;
        using (var root = SpanRecorder.StartRoot("test: one turn"))
        {
            trace = root.TraceId;
            await Json.PostAsync(fixture.Server.Http, "chat", new { message });
        }

        var spans = await recorder.TraceAsync(trace, s => s.Any(a => a.OperationName == "kefu.turn")
            && s.Any(a => a.GetTagItem("url.path") is "/chat" && a.OperationName == "Microsoft.AspNetCore.Hosting.HttpRequestIn"));
        TestContext.Current.TestOutputHelper?.WriteLine(SpanRecorder.Tree(spans));
        Console.WriteLine(SpanRecorder.Tree(spans));

        var turn = spans.Single(a => a.OperationName == "kefu.turn");
        // Under Kefu's request span (the demo shop's server, called by the tool, has one in this trace too).
        var request = spans.Single(a => a.SpanId == turn.ParentSpanId);
        request.OperationName.ShouldBe("Microsoft.AspNetCore.Hosting.HttpRequestIn");
        request.GetTagItem("url.path").ShouldBe("/chat");
        turn.GetTagItem("kefu.intent").ShouldBe("order_query");
        turn.GetTagItem("kefu.resolved").ShouldBe(true);
        turn.GetTagItem("kefu.handoff").ShouldBe(false);

        Activity Child(Activity parent, string name) => spans.Single(a => a.OperationName == name && a.ParentSpanId == parent.SpanId);
        Child(turn, "kefu.input_guard").GetTagItem("kefu.guard.blocked").ShouldBe(false);
        var route = Child(turn, "kefu.route");
        route.GetTagItem("kefu.intent").ShouldBe("order_query");
        route.GetTagItem("kefu.route.action").ShouldBe("tracking");
        route.GetTagItem("kefu.route.reason").ShouldBe("rule tracking: \"…\"");
        Child(route, "kefu.search").GetTagItem("kefu.search.hits").ShouldBeOfType<int>();
        var respond = Child(turn, "kefu.respond");
        var tool = Child(respond, "kefu.tool");
        tool.GetTagItem("kefu.tool.name").ShouldBe("track_logistics");
        tool.GetTagItem("kefu.tool.outcome").ShouldBe("success");
        // The tool's HTTP call to the order system is a child of the tool span.
        spans.ShouldContain(a => a.OperationName == "System.Net.Http.HttpRequestOut" && a.ParentSpanId == tool.SpanId);
        Child(turn, "kefu.output_guard").GetTagItem("kefu.guard.checked").ShouldBe(false);
        Child(turn, "kefu.handoff").GetTagItem("kefu.handoff").ShouldBe(false);

        foreach (var span in spans.Where(a => a.Source.Name.StartsWith("Kefu.Service", StringComparison.Ordinal)))
        {
            foreach (var tag in span.TagObjects)
            {
                var value = Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                value.ShouldNotContain(Phone, customMessage: $"{span.OperationName} {tag.Key}");
                value.ShouldNotContain("到哪了", customMessage: $"{span.OperationName} {tag.Key}");
            }
        }
    }

    [Fact]
    public async Task ModelTurn_OverHttp_HasGenAiSpanUnderTheModelStage()
    {
        await using var model = await FakeOpenAiServer.StartAsync("qwen2-kefu", _ => FakeOpenAiServer.Text("亲，7天无理由退货从签收次日起算。"));
        await using var server = await RunningServer.StartDemoAsync(o => o.BackendUrl = model.Address);
        using var recorder = new SpanRecorder();
        ActivityTraceId trace;
        using (var root = SpanRecorder.StartRoot("test: model turn"))
        {
            trace = root.TraceId;
            await Json.PostAsync(server.Http, "chat", new { message = $"退货是从哪天开始算的？手机{Phone}" });
        }

        var spans = await recorder.TraceAsync(trace, s => s.Any(a => a.OperationName == "kefu.turn"));
        TestContext.Current.TestOutputHelper?.WriteLine(SpanRecorder.Tree(spans));
        Console.WriteLine(SpanRecorder.Tree(spans));

        var respond = spans.Single(a => a.OperationName == "kefu.respond");
        respond.GetTagItem("kefu.responder").ShouldBe("model");
        var stage = spans.First(a => a.OperationName == "kefu.model" && a.ParentSpanId == respond.SpanId);
        stage.GetTagItem("kefu.model.purpose").ShouldBe("reply");
        var chat = spans.Single(a => a.ParentSpanId == stage.SpanId && a.Source.Name.EndsWith(".Model", StringComparison.Ordinal));
        chat.GetTagItem("gen_ai.request.model").ShouldBe("qwen2-kefu");
        // Message contents are never captured by the gen_ai instrumentation.
        spans.SelectMany(a => a.TagObjects).ShouldNotContain(t => (Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "").Contains(Phone, StringComparison.Ordinal));
        spans.SelectMany(a => a.Events).SelectMany(e => e.Tags).ShouldNotContain(t => (Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "").Contains(Phone, StringComparison.Ordinal));
        Child(spans, "kefu.turn", "kefu.output_guard").GetTagItem("kefu.guard.checked").ShouldBe(true);

        // The model client's token usage reaches /metrics beside the service's own instruments.
        using var anonymous = server.Client(null);
        var metrics = await anonymous.GetStringAsync("metrics", TestContext.Current.CancellationToken);
        metrics.ShouldContain("gen_ai_client_token_usage");
        metrics.ShouldMatch("kefu_stage_duration_seconds_bucket\\{[^}]*stage=\"model\"");
    }

    private static Activity Child(IReadOnlyList<Activity> spans, string parent, string name)
    {
        var parentSpan = spans.Single(a => a.OperationName == parent);
        return spans.Single(a => a.OperationName == name && a.ParentSpanId == parentSpan.SpanId);
    }
}
