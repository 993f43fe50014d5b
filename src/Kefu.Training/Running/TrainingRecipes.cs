namespace Kefu.Training.Running;

/// <summary>The named recipes <c>kefu train --recipe NAME</c> knows.</summary>
public static class TrainingRecipes
{
    /// <summary>
    /// The default. LoRA starts from B = 0 and its updates are scaled by alpha/r, so it needs a larger step than
    /// full fine-tuning: the LoRA and QLoRA papers train at 1e-4–2e-4 (3e-4 for 7B-and-smaller in QLoRA's sweep), and
    /// with 200–500 samples at 16 per step one epoch is only 13–32 steps. Three epochs, cosine decay after a short
    /// warmup, every linear layer (QLoRA found targeting all linear layers matters more than the rank), dropout 0.05.
    /// </summary>
    public static TrainingRecipe Default { get; } = new();

    /// <summary>The seed article's settings: batch 4 × accumulation 4, one epoch, lr 5e-5, r 16, alpha 32, dropout 0.1, q/k/v.</summary>
    public static TrainingRecipe SeedArticle { get; } = new()
    {
        Name = "seed-article",
        LearningRate = 5e-5,
        Epochs = 1,
        BatchSize = 4,
        GradientAccumulation = 4,
        Schedule = "linear",
        WarmupRatio = 0,
        Lora = new LoraSettings { Rank = 16, Alpha = 32, Dropout = 0.1, TargetModules = ["q_proj", "k_proj", "v_proj"] },
    };

    /// <summary>The seed's "progressive fine-tuning": knowledge first, then dialogue and exception handling.</summary>
    public static TrainingRecipe Staged { get; } = Default with
    {
        Name = "staged",
        Stages =
        [
            new TrainingStage { Name = "knowledge", Categories = ["knowledge"], Epochs = 3, LearningRate = 2e-4 },
            new TrainingStage { Name = "dialogue", Categories = ["dialogue", "exception"], Epochs = 2, LearningRate = 1e-4 },
        ],
    };

    public static IReadOnlyList<string> Names { get; } = ["default", "seed-article", "staged"];

    /// <summary>A named recipe, or a recipe file when <paramref name="nameOrPath"/> is a path.</summary>
    public static TrainingRecipe Resolve(string? nameOrPath) => nameOrPath?.Trim() switch
    {
        null or "" or "default" => Default,
        "seed-article" => SeedArticle,
        "staged" => Staged,
        var path when File.Exists(path) => TrainingRecipe.Load(path),
        var other => throw new ArgumentException($"Unknown recipe '{other}': use {string.Join(", ", Names)} or the path of a recipe JSON file."),
    };
}
