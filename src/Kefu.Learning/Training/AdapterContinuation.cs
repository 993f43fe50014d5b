using Kefu.Data.Building;
using Kefu.Data.Mixing;
using Kefu.Model.Lora;
using Kefu.Training.Running;

namespace Kefu.Learning.Training;

/// <summary>
/// Continues an adapter with K3's trainer: the data (the original sources as replay, against forgetting, plus every
/// approved learned record) is rendered with the model's tokenizer by <c>kefu data build</c>'s builder, a training run is opened with the
/// adapter's own shape (rank, alpha, targets from its adapter_config.json), the adapter's weights are loaded over the
/// fresh initialisation, and the recipe (by default one gentle epoch) continues from there.
/// </summary>
public sealed class AdapterContinuation(string modelDirectory, TrainingRecipe? recipe = null, TimeProvider? time = null) : IAdapterTrainer
{
    /// <summary>One epoch at a tenth of the default rate: a daily top-up, not a retraining.</summary>
    public static TrainingRecipe DefaultRecipe { get; } = TrainingRecipes.Default with { Name = "learn-continue", Epochs = 1, LearningRate = 2e-5, EvalEvery = 0, SaveEvery = 0 };

    public Task<string> ContinueAsync(string? currentAdapter, IReadOnlyList<string> dataPaths, string workDirectory, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            ArgumentNullException.ThrowIfNull(dataPaths);
            if (dataPaths.Count == 0)
                throw new ArgumentException("No training data: the learned records file at least.", nameof(dataPaths));
            var data = Path.Combine(workDirectory, "data");
            BuildTrainingFolder(dataPaths.Take(dataPaths.Count - 1).ToList(), dataPaths[^1], data, cancellationToken);
            return TrainFromRendered(currentAdapter, data, Path.Combine(workDirectory, "adapter"), cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Renders the replay data (the original sources, mixed and split as kefu data build does) and the learned records
    /// (every one of them, none held out: the mix planner's down-sampling must not drop the day's corrections), then
    /// writes one kefu-sft/1 folder: train = replay train + learned, eval = replay eval.
    /// </summary>
    internal void BuildTrainingFolder(IReadOnlyList<string> replayPaths, string learnedFile, string output, CancellationToken cancellationToken)
    {
        var builder = new DatasetBuilder(time);
        var learned = Path.Combine(output, "learned");
        Build(builder, new DatasetBuildOptions
        {
            Paths = [learnedFile], TokenizerDirectory = modelDirectory, OutputDirectory = learned, MaskPii = true,
            Mix = new MixRatio(0, 1, 0), Size = new SizeRange(1, int.MaxValue), EvalFraction = 0,
        }, cancellationToken);
        if (replayPaths.Count == 0)
        {
            foreach (var file in Directory.GetFiles(learned))
                File.Copy(file, Path.Combine(output, Path.GetFileName(file)), overwrite: true);
            return;
        }
        var replay = Path.Combine(output, "replay");
        Build(builder, new DatasetBuildOptions { Paths = replayPaths, TokenizerDirectory = modelDirectory, OutputDirectory = replay, MaskPii = true }, cancellationToken);
        File.Copy(Path.Combine(replay, "dataset.json"), Path.Combine(output, "dataset.json"), overwrite: true);
        File.Copy(Path.Combine(replay, "eval.jsonl"), Path.Combine(output, "eval.jsonl"), overwrite: true);
        Kefu.Evaluation.Reporting.AtomicFile.WriteAllLines(Path.Combine(output, "train.jsonl"),
            File.ReadLines(Path.Combine(replay, "train.jsonl")).Concat(File.ReadLines(Path.Combine(learned, "train.jsonl"))).Where(l => l.Length > 0));
    }

    private static void Build(DatasetBuilder builder, DatasetBuildOptions options, CancellationToken cancellationToken)
    {
        var build = builder.Build(options, cancellationToken: cancellationToken);
        if (!build.Succeeded)
        {
            var first = string.Join("; ", build.Diagnostics.Take(3).Select(d => d.ToString()));
            throw new InvalidDataException($"Building the training data from {string.Join(", ", options.Paths)} failed: {build.FailureMessage} {first}");
        }
    }

    /// <summary>Trains on an already rendered kefu-sft/1 folder; returns the adapter folder.</summary>
    public string TrainFromRendered(string? currentAdapter, string sftDirectory, string outputDirectory, CancellationToken cancellationToken)
    {
        var chosen = recipe ?? DefaultRecipe;
        if (currentAdapter is not null)
        {
            var config = LoraConfig.Load(currentAdapter);
            chosen = chosen with
            {
                Lora = new LoraSettings
                {
                    Rank = config.Rank,
                    Alpha = config.Alpha,
                    Dropout = config.Dropout,
                    TargetModules = config.TargetModules,
                    UseRsLora = config.UseRsLora,
                    RankPattern = config.RankPattern,
                },
            };
        }
        using var run = TrainingRun.Open(modelDirectory, sftDirectory, outputDirectory, chosen, new TrainerOptions { Plot = false });
        if (currentAdapter is not null)
            run.Adapter.LoadWeights(currentAdapter);
        run.Run(cancellationToken);
        return outputDirectory;
    }
}
