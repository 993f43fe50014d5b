using System.Text.Json.Serialization;

namespace Kefu.Training.Running;

/// <summary>
/// Where a run stands, saved with each checkpoint (trainer_state.json): enough, with the seed, to rebuild the data
/// order and continue on the exact next batch. Dropout masks are drawn from (seed, step), so no RNG state is needed.
/// </summary>
public sealed record TrainerState
{
    public const string FileName = "trainer_state.json";

    /// <summary>Optimizer steps done over all stages.</summary>
    [JsonPropertyName("global_step")] public int GlobalStep { get; init; }
    [JsonPropertyName("stage_index")] public int StageIndex { get; init; }

    /// <summary>Optimizer steps done in the current stage (the schedule's position).</summary>
    [JsonPropertyName("stage_step")] public int StageStep { get; init; }
    [JsonPropertyName("epoch")] public int Epoch { get; init; }

    /// <summary>Index, in the epoch's batch plan, of the next micro-batch to train on.</summary>
    [JsonPropertyName("next_batch")] public int NextBatch { get; init; }
    [JsonPropertyName("optimizer_steps")] public long OptimizerSteps { get; init; }
    [JsonPropertyName("tokens_seen")] public long TokensSeen { get; init; }
    [JsonPropertyName("best_eval_loss")] public double? BestEvalLoss { get; init; }
    [JsonPropertyName("evals_without_improvement")] public int EvalsWithoutImprovement { get; init; }
    [JsonPropertyName("recipe")] public string RecipeName { get; init; } = "";
    [JsonPropertyName("seed")] public long Seed { get; init; }

    /// <summary>What the data order depends on, checked on resume (absent in checkpoints from before it existed).</summary>
    [JsonPropertyName("batch_plan")] public BatchPlan? BatchPlan { get; init; }
}
