namespace Kefu.Training.Running;

/// <summary>One line of the training log, and what the progress bar shows after each optimizer step or evaluation.</summary>
public sealed record TrainingProgress
{
    public required string Kind { get; init; }
    public required int Step { get; init; }
    public required int TotalSteps { get; init; }
    public required string Stage { get; init; }
    public required int Epoch { get; init; }
    public double? Loss { get; init; }
    public double? EvalLoss { get; init; }
    public double? LearningRate { get; init; }
    public double? GradNorm { get; init; }
    public double? TokensPerSecond { get; init; }
    public long? Tokens { get; init; }
    public double ElapsedSeconds { get; init; }
}
