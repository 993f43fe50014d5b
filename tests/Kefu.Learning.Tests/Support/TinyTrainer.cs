using Kefu.Learning.Training;
using Kefu.Training.Running;

namespace Kefu.Learning.Tests.Support;

/// <summary>
/// The real continuation (<see cref="AdapterContinuation.TrainFromRendered"/>) on the tiny pairs: the learned
/// records are Chinese text the vocabulary-64 model cannot tokenize, so this seam replaces only the rendering step.
/// </summary>
internal sealed class TinyTrainer(TinyLearningSetup setup, TrainingRecipe recipe) : IAdapterTrainer
{
    public List<IReadOnlyList<string>> DataPathsSeen { get; } = [];

    public Task<string> ContinueAsync(string? currentAdapter, IReadOnlyList<string> dataPaths, string workDirectory, CancellationToken cancellationToken)
    {
        DataPathsSeen.Add(dataPaths);
        return Task.FromResult(new AdapterContinuation(setup.ModelDirectory, recipe).TrainFromRendered(currentAdapter, setup.SftDirectory, Path.Combine(workDirectory, "adapter"), cancellationToken));
    }
}
