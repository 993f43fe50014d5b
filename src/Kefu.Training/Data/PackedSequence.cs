namespace Kefu.Training.Data;

/// <summary>
/// One row of a training batch: samples laid end to end. Without packing a row holds one sample; with packing
/// several, and each keeps positions that start at 0 and attends only to itself (a block-diagonal causal mask), so
/// a packed row trains exactly as its samples would one by one, without the padding.
/// </summary>
public sealed record PackedSequence(IReadOnlyList<SftExample> Samples)
{
    /// <summary>Tokens in the row: the sum of its samples' lengths.</summary>
    public int Length => Samples.Sum(s => s.Length);

    /// <summary>Predicted assistant tokens in the row (no prediction crosses from one sample into the next).</summary>
    public int TargetCount => Samples.Sum(s => s.TargetCount);

    /// <summary>A row holding one sample.</summary>
    public static PackedSequence Single(SftExample sample) => new([sample]);
}
