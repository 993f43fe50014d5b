using Kefu.Evaluation.Comparing;
using Kefu.Evaluation.Metrics;
using Kefu.Evaluation.Scoring;

namespace Kefu.Evaluation.Tests.Scoring;

public sealed class BootstrapComparerTests
{
    private static List<ScenarioResult> Run(int resolved, int total) =>
        [.. Enumerable.Range(0, total).Select(i => MetricsAndGatesTests.Result($"s{i}", resolved: i < resolved))];

    [Fact]
    public void Compare_SameResults_GivesZeroDifferenceAndZeroWidthInterval()
    {
        var run = Run(30, 60);
        var resolution = BootstrapComparer.Compare("before", run, run).Differences.Single(d => d.Metric == EvalMetrics.Resolution);
        resolution.Difference.ShouldBe(0);
        resolution.Low.ShouldBe(0);
        resolution.High.ShouldBe(0);
        resolution.Significant.ShouldBeFalse();
    }

    [Fact]
    public void Compare_ClearlyBetterRun_HasAnIntervalAboveZero()
    {
        var resolution = BootstrapComparer.Compare("before", Run(20, 60), Run(50, 60)).Differences.Single(d => d.Metric == EvalMetrics.Resolution);
        resolution.Difference.ShouldBe(0.5, 1e-12);
        resolution.Low.ShouldBeGreaterThan(0.3);
        resolution.High.ShouldBeLessThanOrEqualTo(0.7);
        resolution.Improved.ShouldBeTrue();
    }

    [Fact]
    public void Compare_OneScenarioChanged_IsNotSignificant()
    {
        var after = Run(30, 60);
        after[45] = after[45] with { Resolved = true };
        var resolution = BootstrapComparer.Compare("before", Run(30, 60), after).Differences.Single(d => d.Metric == EvalMetrics.Resolution);
        resolution.Significant.ShouldBeFalse();
    }

    [Fact]
    public void Compare_SameSeed_GivesTheSameInterval()
    {
        var a = BootstrapComparer.Compare("b", Run(20, 40), Run(28, 40), seed: 7).Differences.Single(d => d.Metric == EvalMetrics.Resolution);
        var b = BootstrapComparer.Compare("b", Run(20, 40), Run(28, 40), seed: 7).Differences.Single(d => d.Metric == EvalMetrics.Resolution);
        (a.Low, a.High).ShouldBe((b.Low, b.High));
    }
}
