using Kefu.Model.Lora;
using Kefu.Testing;
using Kefu.Training.Data;
using Kefu.Training.Running;

namespace Kefu.Training.Tests;

public sealed class AccumulationTests
{
    [Fact]
    public void Step_TwoMicroBatchesOfTwo_GiveTheLossAndGradientsOfOneBatchOfFour()
    {
        // Samples of very different answer lengths: per-micro-batch averaging would weight them differently.
        var examples = TrainingFixtures.FaqPairs(4, seed: 3);
        examples[0] = examples[0] with { LossMask = examples[0].LossMask.Select((m, i) => m && i > examples[0].Length - 3).ToArray() };
        var (accumulatedLoss, accumulated) = Gradients(accumulation: 2, [examples.Take(2).ToList(), examples.Skip(2).ToList()]);
        var (wholeLoss, whole) = Gradients(accumulation: 1, [examples]);

        accumulatedLoss.ShouldBe(wholeLoss, tolerance: 1e-5);
        for (var i = 0; i < whole.Count; i++)
            TrainingFixtures.MaxDifference(accumulated[i], whole[i]).ShouldBeLessThan(1e-6);
        whole.Max(g => g.abs().max().item<float>()).ShouldBeGreaterThan(1e-4f);
    }

    private static (double Loss, List<TorchSharp.torch.Tensor> Grads) Gradients(int accumulation, IReadOnlyList<IReadOnlyList<SftExample>> group)
    {
        using var temp = new TempDirectory();
        using var model = TrainingFixtures.CreateModel();
        var recipe = TrainingRecipes.Default with { GradientAccumulation = accumulation, BatchSize = 4, MaxGradNorm = 0, Lora = new LoraSettings { Dropout = 0 } };
        using var adapter = LoraAdapter.Attach(model, recipe.ToLoraConfig(null), seed: 5);
        // Non-zero B, so A's gradients are not zero too.
        using (TorchSharp.torch.no_grad())
        {
            foreach (var (_, layer) in adapter.Layers)
                layer.lora_B.fill_(0.05f);
        }
        var data = SftDataset.FromExamples(group.SelectMany(b => b).ToList());
        var trainer = new LoraTrainer(model, adapter, data, recipe, temp.Path);
        var (loss, _, _) = trainer.Step(group, globalStep: 0);
        return (loss, adapter.TrainableParameters().Select(p => p.grad!.clone()).ToList());
    }
}
