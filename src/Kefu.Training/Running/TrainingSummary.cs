namespace Kefu.Training.Running;

/// <summary>What a run did: steps, losses, speed, where its outputs are, and whether it stopped early.</summary>
public sealed record TrainingSummary(
    int Steps,
    int TotalSteps,
    double? FinalLoss,
    double? FinalEvalLoss,
    long Tokens,
    double Seconds,
    string AdapterDirectory,
    string? LastCheckpoint,
    bool Interrupted,
    bool StoppedEarly)
{
    public double TokensPerSecond => Seconds > 0 ? Tokens / Seconds : 0;
}
