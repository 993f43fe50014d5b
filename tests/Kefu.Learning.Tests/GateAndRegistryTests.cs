using Kefu.Evaluation.Metrics;
using Kefu.Learning.Promotion;
using Kefu.Learning.Tests.Support;
using Kefu.Learning.Training;
using Kefu.Testing;

namespace Kefu.Learning.Tests;

public sealed class GateAndRegistryTests(TinyLearningSetup setup)
{
    private static readonly string[] Gated = [EvalMetrics.Resolution, EvalMetrics.FactCoverage, EvalMetrics.Safety];

    [Fact]
    public async Task Decide_TrainedAdapterAgainstNoisyOne_PromotesTheBetterAndRefusesTheWorse()
    {
        var ct = TestContext.Current.CancellationToken;
        var evaluator = new TinyAdapterEvaluator(setup);
        var good = await evaluator.EvaluateAsync(setup.GoodAdapter, ct);
        var bad = await evaluator.EvaluateAsync(setup.BadAdapter, ct);
        good.Metrics[EvalMetrics.Resolution].ShouldBe(1.0);
        bad.Metrics[EvalMetrics.Resolution].ShouldBe(0.0);

        var gate = new AdapterGate(Gated);
        gate.Decide(baseline: bad, candidate: good).Promote.ShouldBeTrue();
        var refused = gate.Decide(baseline: good, candidate: bad);
        refused.Promote.ShouldBeFalse();
        refused.Reasons.ShouldContain(r => r.StartsWith("resolution: 1 → 0 WORSE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Decide_SameAdapter_IsNotWorseAndPromotes()
    {
        var report = await new TinyAdapterEvaluator(setup).EvaluateAsync(setup.GoodAdapter, TestContext.Current.CancellationToken);
        new AdapterGate(Gated).Decide(report, report).Promote.ShouldBeTrue();
    }

    [Fact]
    public void Promote_ThenRollback_ServesThePreviousVersionAgain()
    {
        using var temp = new TempDirectory();
        var registry = new AdapterRegistry(temp.File("adapters"));
        registry.CurrentPath.ShouldBeNull();
        Should.Throw<InvalidOperationException>(() => registry.Rollback());
        var first = registry.Promote(setup.BadAdapter, "first");
        var second = registry.Promote(setup.GoodAdapter, "second");
        Path.GetFileName(first).ShouldBe("v0001");
        Path.GetFileName(second).ShouldBe("v0002");
        registry.CurrentPath.ShouldBe(second);
        File.ReadAllBytes(Path.Combine(second, "adapter_model.safetensors")).ShouldBe(File.ReadAllBytes(Path.Combine(setup.GoodAdapter, "adapter_model.safetensors")));
        registry.Rollback().ShouldBe(first);
        registry.CurrentPath.ShouldBe(first);
        registry.Read().Previous.ShouldBe("v0002");
    }

    [Fact]
    public void ServingPath_AdaptersFolderOrPlainAdapter_ResolvesTheCurrentVersionOrThePathItself()
    {
        using var temp = new TempDirectory();
        var registry = new AdapterRegistry(temp.File("adapters"));
        AdapterRegistry.ServingPath(setup.GoodAdapter).ShouldBe(setup.GoodAdapter);
        registry.Promote(setup.GoodAdapter, "first");
        AdapterRegistry.ServingPath(temp.File("adapters")).ShouldBe(Path.Combine(registry.Directory, "v0001"));
    }

    [Fact]
    public async Task TrainFromRendered_ContinuingTheGoodAdapter_KeepsWhatAFreshAdapterCannotLearnInOneEpoch()
    {
        using var temp = new TempDirectory();
        var ct = TestContext.Current.CancellationToken;
        var gentle = TinyLearningSetup.FastRecipe with { Epochs = 1, LearningRate = 1e-4 };
        var continued = new AdapterContinuation(setup.ModelDirectory, gentle).TrainFromRendered(setup.GoodAdapter, setup.SftDirectory, temp.File("continued"), ct);
        var fresh = new AdapterContinuation(setup.ModelDirectory, gentle).TrainFromRendered(null, setup.SftDirectory, temp.File("fresh"), ct);
        var evaluator = new TinyAdapterEvaluator(setup);
        (await evaluator.EvaluateAsync(continued, ct)).Metrics[EvalMetrics.Resolution].ShouldBe(1.0);
        (await evaluator.EvaluateAsync(fresh, ct)).Metrics[EvalMetrics.Resolution].ShouldBe(0.0);
    }
}
