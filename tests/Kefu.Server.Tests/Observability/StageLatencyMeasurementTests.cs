using System.Globalization;
using Kefu.Server.Tests.Support;

namespace Kefu.Server.Tests.Observability;

/// <summary>
/// Per-stage latency of retrieval-only turns over real HTTP, from the stage spans. Printed, not asserted: the
/// figures depend on the machine.
/// </summary>
public sealed class StageLatencyMeasurementTests(DemoServerFixture fixture) : IClassFixture<DemoServerFixture>
{
    private static readonly string[] Stages = ["kefu.turn", "kefu.input_guard", "kefu.route", "kefu.search", "kefu.respond", "kefu.tool", "kefu.output_guard", "kefu.handoff"];

    [Fact]
    public async Task StageLatency_OverRetrievalOnlyTurns_IsMeasured()
    {
        var questions = new[] { "怎么开发票？", "退货运费谁出？", "ORD12345到哪了", "金卡会员有什么权益", "优惠券能叠加吗", "花呗分期免息吗", "几点前付款当天发货", "积分什么时候过期", "新疆包邮吗", "退款多久到账" };
        using var recorder = new SpanRecorder();
        var traces = new HashSet<System.Diagnostics.ActivityTraceId>();
        for (var i = 0; i < 110; i++)
        {
            using var root = SpanRecorder.StartRoot("measure");
            await Json.PostAsync(fixture.Server.Http, "chat", new { message = questions[i % questions.Length] });
            if (i >= 10)
                traces.Add(root.TraceId); // the first ten warm up
        }

        var lines = new List<string> { $"stage latency over {traces.Count} retrieval-only turns (µs):" };
        foreach (var stage in Stages)
        {
            var samples = recorder.Named(stage).Where(a => traces.Contains(a.TraceId)).Select(a => a.Duration.TotalMicroseconds).Order().ToList();
            if (samples.Count == 0)
                continue;
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"  {stage,-18} n={samples.Count,4}  p50 {samples[samples.Count / 2],9:F1}  p95 {samples[(int)(samples.Count * 0.95)],9:F1}  max {samples[^1],9:F1}"));
        }
        var report = string.Join('\n', lines);
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Console.WriteLine(report);
        recorder.Named("kefu.turn").Count(a => traces.Contains(a.TraceId)).ShouldBe(100);
    }
}
