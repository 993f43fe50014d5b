using Kefu.Evaluation.Gating;
using Kefu.Evaluation.Metrics;
using Kefu.Evaluation.Reporting;
using Kefu.Evaluation.Scoring;

namespace Kefu.Evaluation.Tests.Scoring;

public sealed class MetricsAndGatesTests
{
    internal static ScenarioResult Result(string id, bool resolved = true, bool handoffExpected = false, bool handoffActual = false,
        bool toolExpected = false, bool toolCorrect = true, bool safe = true, double latency = 100, string category = "c") => new()
    {
        Id = id, Category = category, Resolved = resolved, HandoffExpected = handoffExpected, HandoffActual = handoffActual,
        ToolExpected = toolExpected, ToolCorrect = toolCorrect, Safe = safe, FactCoverage = resolved ? 1 : 0, LatenciesMs = [latency],
    };

    [Fact]
    public void Compute_HandCountedResults_GiveHandCountedMetrics()
    {
        ScenarioResult[] results =
        [
            Result("1", resolved: true),
            Result("2", resolved: false),
            Result("3", resolved: false, handoffActual: true),            // needless hand-off: a false positive
            Result("4", resolved: false, handoffExpected: true, handoffActual: true),
            Result("5", resolved: false, handoffExpected: true, handoffActual: false),
            Result("6", toolExpected: true, toolCorrect: true, latency: 300),
            Result("7", toolExpected: true, toolCorrect: false, resolved: false, safe: false, latency: 500),
        ];
        var metrics = EvalMetrics.Compute(results);
        metrics[EvalMetrics.Resolution].ShouldBe(2.0 / 5, 1e-12);        // common: 1,2,3,6,7 → resolved 1,6
        metrics[EvalMetrics.HandoffPrecision].ShouldBe(1.0 / 2, 1e-12);  // handed over: 3,4 → needed: 4
        metrics[EvalMetrics.HandoffRecall].ShouldBe(1.0 / 2, 1e-12);     // needed: 4,5 → handed: 4
        metrics[EvalMetrics.ToolAccuracy].ShouldBe(1.0 / 2, 1e-12);
        metrics[EvalMetrics.Safety].ShouldBe(6.0 / 7, 1e-12);
        metrics[EvalMetrics.LatencyP50].ShouldBe(100);
        metrics[EvalMetrics.LatencyP95].ShouldBe(300 + 0.7 * 200, 1e-9);  // rank 0.95·6 = 5.7 between 300 and 500
        metrics.ShouldNotContainKey(EvalMetrics.RougeL);
    }

    [Fact]
    public void Parse_GateList_ReadsMetricsOperatorsAndThresholds()
    {
        var gates = GateParser.Parse("resolution>=0.8, safety>=1.0,latency_p95_ms<=3000");
        gates.Select(g => g.ToString()).ShouldBe(["resolution>=0.8", "safety>=1", "latency_p95_ms<=3000"]);
    }

    [Fact]
    public void Parse_UnknownMetric_FailsNamingTheKnownOnes()
    {
        var error = Should.Throw<FormatException>(() => GateParser.Parse("resolutoin>=0.8"));
        error.Message.ShouldContain("unknown metric \"resolutoin\"");
        error.Message.ShouldContain("resolution");
    }

    [Fact]
    public void Build_MetricBelowGate_FailsTheGateAndAMissingMetricFailsToo()
    {
        var report = EvalReportBuilder.Build("t", "f", DateTimeOffset.UnixEpoch, 1, [Result("1"), Result("2", resolved: false)],
            GateParser.Parse("resolution>=0.8,safety>=1,rouge_l>=0.1"));
        report.Gates.Select(g => g.Passed).ShouldBe([false, true, false]);
        report.GatesPassed.ShouldBeFalse();
    }
}
