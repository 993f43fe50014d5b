using Kefu.Training.Optimization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kefu.Training.Tests;

public sealed class OptimizationTests
{
    [Fact]
    public void AdamW_MatchesTorchSharpsAdamWWithDecoupledWeightDecay()
    {
        using var generator = new Generator(3);
        using var start = randn([5, 4], generator: generator);
        using var ours = new Parameter(start.clone());
        using var theirs = new Parameter(start.clone());
        using var adam = new Kefu.Training.Optimization.AdamW([ours], weightDecay: 0.1);
        using var reference = optim.AdamW([theirs], lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.1);
        for (var step = 0; step < 5; step++)
        {
            using var g = randn([5, 4], generator: generator);
            ours.grad = g.clone();
            theirs.grad = g.clone();
            adam.Step(0.01);
            reference.step();
        }
        TrainingFixtures.MaxDifference(ours, theirs).ShouldBeLessThan(1e-6);
        TrainingFixtures.MaxDifference(ours, start).ShouldBeGreaterThan(0.01);
    }

    [Fact]
    public void Schedule_CosineWithWarmup_RisesLinearlyThenDecaysToZero()
    {
        var schedule = LearningRateSchedule.Create("cosine", 1e-3, totalSteps: 100, warmupRatio: 0.1);
        schedule.WarmupSteps.ShouldBe(10);
        schedule.At(0).ShouldBe(0);
        schedule.At(5).ShouldBe(5e-4, tolerance: 1e-12);
        schedule.At(10).ShouldBe(1e-3, tolerance: 1e-12);
        schedule.At(55).ShouldBe(5e-4, tolerance: 1e-12);
        schedule.At(100).ShouldBe(0, tolerance: 1e-12);
    }

    [Fact]
    public void Schedule_LinearWithoutWarmup_StartsAtThePeakAndFallsLinearly()
    {
        var schedule = LearningRateSchedule.Create("linear", 5e-5, totalSteps: 10, warmupRatio: 0);
        schedule.At(0).ShouldBe(5e-5);
        schedule.At(5).ShouldBe(2.5e-5, tolerance: 1e-15);
        schedule.At(9).ShouldBe(5e-6, tolerance: 1e-15);
    }

    [Fact]
    public void Clipping_LargeGradients_AreScaledToTheMaximumNorm()
    {
        using var a = new Parameter(zeros(3)) { grad = tensor(new float[] { 3, 0, 0 }) };
        using var b = new Parameter(zeros(2)) { grad = tensor(new float[] { 0, 4 }) };
        var norm = GradientClipping.ClipTotalNorm([a, b], maxNorm: 1.0);
        norm.ShouldBe(5, tolerance: 1e-6);
        a.grad!.data<float>()[0].ShouldBe(0.6f, tolerance: 1e-5f);
        b.grad!.data<float>()[1].ShouldBe(0.8f, tolerance: 1e-5f);
    }
}
