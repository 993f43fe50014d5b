namespace Kefu.Training.Data;

/// <summary>
/// How much of an epoch's batches is padding: every batch is as long as its longest row, so a batch of B rows holds
/// B × longest slots, of which only the real tokens do useful work.
/// </summary>
public sealed record PaddingStatistics(int Samples, int Rows, int Batches, long Tokens, long Slots)
{
    /// <summary>Share of the slots that are padding, in [0, 1).</summary>
    public double PaddingFraction => Slots == 0 ? 0 : 1 - (double)Tokens / Slots;

    /// <summary>The statistics of batches given as row lengths.</summary>
    public static PaddingStatistics Measure(int samples, IReadOnlyList<IReadOnlyList<int>> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        long tokens = 0, slots = 0;
        var rows = 0;
        foreach (var batch in batches)
        {
            if (batch.Count == 0)
                continue;
            rows += batch.Count;
            tokens += batch.Sum(l => (long)l);
            slots += (long)batch.Count * batch.Max();
        }
        return new PaddingStatistics(samples, rows, batches.Count, tokens, slots);
    }
}
