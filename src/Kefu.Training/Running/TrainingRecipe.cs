using System.Text.Json;
using System.Text.Json.Serialization;
using Kefu.Model.Lora;

namespace Kefu.Training.Running;

/// <summary>
/// Everything that decides a training run, readable from one JSON file (snake_case names). A recipe with
/// <see cref="Stages"/> trains them in order, continuing one adapter: each stage picks records by category and has
/// its own epochs and learning rate (and a fresh optimizer and schedule), as the seed's progressive plan asks —
/// knowledge first, then dialogue and exceptions.
/// </summary>
public sealed record TrainingRecipe
{
    [JsonPropertyName("name")] public string Name { get; init; } = "default";
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; } = 2e-4;
    [JsonPropertyName("epochs")] public int Epochs { get; init; } = 3;
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 4;
    [JsonPropertyName("gradient_accumulation")] public int GradientAccumulation { get; init; } = 4;

    /// <summary>"linear", "cosine" or "constant"; each decays to zero after warmup over the stage's steps.</summary>
    [JsonPropertyName("schedule")] public string Schedule { get; init; } = "cosine";
    [JsonPropertyName("warmup_ratio")] public double WarmupRatio { get; init; } = 0.03;
    [JsonPropertyName("weight_decay")] public double WeightDecay { get; init; }
    [JsonPropertyName("adam_beta1")] public double AdamBeta1 { get; init; } = 0.9;
    [JsonPropertyName("adam_beta2")] public double AdamBeta2 { get; init; } = 0.999;
    [JsonPropertyName("adam_epsilon")] public double AdamEpsilon { get; init; } = 1e-8;
    [JsonPropertyName("max_grad_norm")] public double MaxGradNorm { get; init; } = 1.0;
    [JsonPropertyName("seed")] public long Seed { get; init; } = 42;

    /// <summary>
    /// Recompute each decoder layer in the backward pass instead of keeping its activations (see
    /// <see cref="ActivationCheckpointing"/>): less memory for longer samples or larger batches, one more forward pass.
    /// </summary>
    [JsonPropertyName("gradient_checkpointing")] public bool GradientCheckpointing { get; init; }

    /// <summary>
    /// Pack several samples into each row of up to <see cref="PackingLength"/> tokens (block-diagonal causal mask,
    /// positions restarting per sample) instead of padding every row to the batch's longest sample. batch_size then
    /// counts packed rows, so a step sees several times more samples: expect fewer steps per epoch.
    /// </summary>
    [JsonPropertyName("packing")] public bool Packing { get; init; }

    /// <summary>Tokens per packed row (0: the dataset's cutoff from dataset.json).</summary>
    [JsonPropertyName("packing_length")] public int PackingLength { get; init; }

    /// <summary>Evaluate every N optimizer steps (0: only at the end).</summary>
    [JsonPropertyName("eval_every")] public int EvalEvery { get; init; } = 50;

    /// <summary>Checkpoint every N optimizer steps (0: only at the end and on Ctrl+C).</summary>
    [JsonPropertyName("save_every")] public int SaveEvery { get; init; } = 50;

    /// <summary>Stop after this many evaluations without a lower eval loss (0: never stop early).</summary>
    [JsonPropertyName("early_stop_patience")] public int EarlyStopPatience { get; init; }

    [JsonPropertyName("lora")] public LoraSettings Lora { get; init; } = new();

    [JsonPropertyName("stages")] public IReadOnlyList<TrainingStage> Stages { get; init; } = [];

    /// <summary>The stages to run: the recipe's own, or one stage over every record.</summary>
    public IReadOnlyList<TrainingStage> EffectiveStages() =>
        Stages.Count > 0 ? Stages : [new TrainingStage { Name = "all", Epochs = Epochs, LearningRate = LearningRate }];

    public LoraConfig ToLoraConfig(string? baseModel) => new()
    {
        Rank = Lora.Rank,
        Alpha = Lora.Alpha,
        Dropout = Lora.Dropout,
        TargetModules = Lora.TargetModules,
        UseRsLora = Lora.UseRsLora,
        RankPattern = Lora.RankPattern,
        BaseModelNameOrPath = baseModel,
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the field and <paramref name="source"/>.</summary>
    public void Validate(string source = "recipe")
    {
        void Require(bool condition, string field, string problem)
        {
            if (!condition)
                throw new ArgumentException($"{source}: field {field}: {problem}");
        }

        Require(LearningRate > 0, "learning_rate", $"must be positive, got {LearningRate}.");
        Require(Epochs > 0, "epochs", $"must be positive, got {Epochs}.");
        Require(BatchSize > 0, "batch_size", $"must be positive, got {BatchSize}.");
        Require(GradientAccumulation > 0, "gradient_accumulation", $"must be positive, got {GradientAccumulation}.");
        Require(Schedule is "linear" or "cosine" or "constant", "schedule", $"must be linear, cosine or constant, got \"{Schedule}\".");
        Require(WarmupRatio is >= 0 and < 1, "warmup_ratio", $"must be in [0, 1), got {WarmupRatio}.");
        Require(WeightDecay >= 0, "weight_decay", $"must not be negative, got {WeightDecay}.");
        Require(MaxGradNorm >= 0, "max_grad_norm", $"must not be negative (0 disables clipping), got {MaxGradNorm}.");
        Require(PackingLength >= 0, "packing_length", $"must not be negative (0: the dataset's cutoff), got {PackingLength}.");
        Require(EvalEvery >= 0 && SaveEvery >= 0, "eval_every/save_every", "must not be negative.");
        for (var i = 0; i < Stages.Count; i++)
        {
            Require(Stages[i].Epochs > 0, $"stages[{i}].epochs", $"must be positive, got {Stages[i].Epochs}.");
            Require(Stages[i].LearningRate > 0, $"stages[{i}].learning_rate", $"must be positive, got {Stages[i].LearningRate}.");
        }
        ToLoraConfig(null).Validate(source + ": lora");
    }

    /// <summary>Reads a recipe JSON file; a missing field keeps the default recipe's value.</summary>
    public static TrainingRecipe Load(string path)
    {
        TrainingRecipe? recipe;
        try
        {
            recipe = JsonSerializer.Deserialize<TrainingRecipe>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{path}: line {e.LineNumber + 1}: {e.Message}", e);
        }
        recipe = recipe ?? throw new ArgumentException($"{path}: expected a JSON object.");
        recipe.Validate(path);
        return recipe;
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    internal static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

/// <summary>The adapter's shape in a recipe.</summary>
public sealed record LoraSettings
{
    [JsonPropertyName("r")] public int Rank { get; init; } = 16;
    [JsonPropertyName("alpha")] public double Alpha { get; init; } = 32;
    [JsonPropertyName("dropout")] public double Dropout { get; init; } = 0.05;
    [JsonPropertyName("target_modules")] public IReadOnlyList<string> TargetModules { get; init; } = [LoraConfig.AllLinear];
    [JsonPropertyName("use_rslora")] public bool UseRsLora { get; init; }
    [JsonPropertyName("rank_pattern")] public IReadOnlyDictionary<string, int> RankPattern { get; init; } = new Dictionary<string, int>();
}

/// <summary>One stage of a staged recipe: which categories it trains on, for how long, how fast.</summary>
public sealed record TrainingStage
{
    [JsonPropertyName("name")] public string Name { get; init; } = "stage";

    /// <summary>Record categories (knowledge, dialogue, exception); empty: every record.</summary>
    [JsonPropertyName("categories")] public IReadOnlyList<string> Categories { get; init; } = [];
    [JsonPropertyName("epochs")] public int Epochs { get; init; } = 1;
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; } = 2e-4;
}
