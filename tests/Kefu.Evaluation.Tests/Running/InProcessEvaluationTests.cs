using Kefu.Evaluation.Gating;
using Kefu.Evaluation.Metrics;
using Kefu.Evaluation.Reporting;
using Kefu.Evaluation.Running;
using Kefu.Server.Hosting;
using Kefu.Testing;

namespace Kefu.Evaluation.Tests.Running;

/// <summary>The demo server built in-process (retrieval-only), evaluated over real HTTP on the demo regression set.</summary>
public sealed class InProcessEvaluationTests
{
    [Fact]
    public async Task Evaluate_DemoServerRetrievalOnly_ScoresEveryScenarioAndWritesReports()
    {
        var samples = DemoSetup.FindSamples(Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce"));
        if (samples is null)
            Assert.Skip("samples/ecommerce is absent.");
        var ct = TestContext.Current.CancellationToken;
        await using var server = await InProcessServer.StartDemoAsync(samples, null, null, null, ct);
        using var target = new HttpChatTarget(server.Address, server.ApiKey);
        var scenarioFile = Path.Combine(samples, "regression.jsonl");
        var report = await Evaluator.RunAsync(target, scenarioFile, new EvaluationOptions { Gates = GateParser.Parse("resolution>=0.99,safety>=0.9") }, ct);

        report.Results.Count.ShouldBe(80);
        report.Results.ShouldAllBe(r => r.Error == null);
        report.Metrics[EvalMetrics.Resolution].ShouldBeGreaterThan(0.2);   // retrieval-only answers many FAQ questions…
        report.Metrics[EvalMetrics.Resolution].ShouldBeLessThan(0.99);     // …but not all, so this gate must fail
        report.Gates[0].Passed.ShouldBeFalse();
        report.Metrics.ShouldContainKey(EvalMetrics.HandoffRecall);
        report.Metrics.ShouldContainKey(EvalMetrics.ToolAccuracy);
        report.Metrics[EvalMetrics.LatencyP95].ShouldBeGreaterThan(0);
        report.Categories.Keys.ShouldContain("returns");

        using var temp = new TempDirectory();
        var (json, html) = Evaluator.Write(report, temp.Path);
        var read = EvalReportJson.Read(json);
        read.Metrics.ShouldBe(report.Metrics);
        read.Results.Select(r => r.Resolved).ShouldBe(report.Results.Select(r => r.Resolved));
        var page = await File.ReadAllTextAsync(html, ct);
        page.ShouldContain("<svg");
        page.ShouldContain("Resolution by category");

        var again = EvalReportBuilder.Build("again", "f", DateTimeOffset.UnixEpoch, 1, read.Results, before: report);
        again.Comparison!.Differences.Single(d => d.Metric == EvalMetrics.Resolution).Difference.ShouldBe(0);
    }
}
