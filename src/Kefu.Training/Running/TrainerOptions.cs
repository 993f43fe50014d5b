namespace Kefu.Training.Running;

/// <summary>How one run is driven (as opposed to the recipe, which decides what is learned).</summary>
public sealed record TrainerOptions
{
    /// <summary>Stop after this many optimizer steps in total (null: run every stage to its end).</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Continue from the newest checkpoint in the output folder.</summary>
    public bool Resume { get; init; }

    /// <summary>Written into adapter_config.json as base_model_name_or_path.</summary>
    public string? BaseModelName { get; init; }

    /// <summary>Write loss.png at the end.</summary>
    public bool Plot { get; init; } = true;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Told after every optimizer step and evaluation.</summary>
    public Action<TrainingProgress>? OnProgress { get; init; }
}
