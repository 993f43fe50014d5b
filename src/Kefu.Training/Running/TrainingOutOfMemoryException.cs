namespace Kefu.Training.Running;

/// <summary>Training ran out of memory; the message says which settings lower the need.</summary>
public sealed class TrainingOutOfMemoryException : Exception
{
    public TrainingOutOfMemoryException() { }

    public TrainingOutOfMemoryException(string message) : base(message) { }

    public TrainingOutOfMemoryException(string message, Exception inner) : base(message, inner) { }

    internal static bool Matches(Exception e) =>
        e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("can't allocate memory", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("DefaultCPUAllocator", StringComparison.Ordinal);

    internal static TrainingOutOfMemoryException For(Exception e, TrainingRecipe recipe, int longestSample) => new(
        $"Out of memory at batch size {recipe.BatchSize} with samples up to {longestSample} tokens. Lower batch_size " +
        $"(keep the effective batch by raising gradient_accumulation, e.g. --batch-size {Math.Max(1, recipe.BatchSize / 2)} " +
        $"--accumulation {recipe.GradientAccumulation * 2}), use --dtype bfloat16, " +
        (recipe.GradientCheckpointing ? "" : "add --gradient-checkpointing, ") + "lower the LoRA rank or target fewer modules, " +
        $"or rebuild the dataset with a smaller --cutoff. ({e.Message.Split('\n')[0]})", e);
}
