namespace Kefu.Training.Optimization;

/// <summary>
/// The learning rate at each optimizer step, as transformers' get_linear/cosine_schedule_with_warmup: a linear
/// rise from 0 over the warmup steps, then linear or half-cosine decay to 0 at the last step (or constant).
/// </summary>
public sealed record LearningRateSchedule(string Kind, double PeakLearningRate, int TotalSteps, int WarmupSteps)
{
    public static LearningRateSchedule Create(string kind, double peak, int totalSteps, double warmupRatio) =>
        new(kind, peak, totalSteps, (int)Math.Ceiling(totalSteps * warmupRatio));

    /// <summary>The rate for the optimizer step numbered <paramref name="step"/> (0-based).</summary>
    public double At(int step)
    {
        if (step < WarmupSteps)
            return PeakLearningRate * step / Math.Max(1, WarmupSteps);
        var progress = (double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps);
        return Kind switch
        {
            "linear" => PeakLearningRate * Math.Max(0, 1 - progress),
            "cosine" => PeakLearningRate * Math.Max(0, 0.5 * (1 + Math.Cos(Math.PI * progress))),
            _ => PeakLearningRate,
        };
    }
}
