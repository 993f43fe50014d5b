using Kefu.Training.Data;

namespace Kefu.Quantization;

/// <summary>
/// Calibration samples for GPTQ, taken from the training split (the conversations the model was tuned on are the
/// inputs it will see): a seeded random choice of examples, each cut to at most a maximum length.
/// </summary>
public static class CalibrationSet
{
    public static IReadOnlyList<int[]> FromTraining(IReadOnlyList<SftExample> train, int samples, int maxLength, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        if (train.Count == 0)
            throw new ArgumentException("The training split is empty; calibration needs samples.", nameof(train));
        var order = Enumerable.Range(0, train.Count).ToArray();
        new Random((int)seed).Shuffle(order);
        return order.Take(samples)
            .Select(i => train[i].InputIds)
            .Where(ids => ids.Length >= 2)
            .Select(ids => ids.Length <= maxLength ? ids : ids[..maxLength])
            .ToList();
    }
}
