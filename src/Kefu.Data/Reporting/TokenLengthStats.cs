namespace Kefu.Data.Reporting;

/// <summary>Summary statistics of rendered sample lengths, in tokens.</summary>
public sealed record TokenLengthStats(int Count, int Min, int Max, double Mean, double Median, double P90, double P95, double P99, long TotalTokens, long TrainedTokens)
{
    public static TokenLengthStats Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static TokenLengthStats Of(IReadOnlyList<int> lengths, long trainedTokens)
    {
        if (lengths.Count == 0)
            return Empty;
        var sorted = lengths.Order().ToArray();
        return new TokenLengthStats(sorted.Length, sorted[0], sorted[^1], Math.Round(sorted.Average(), 1),
            Percentile(sorted, 0.5), Percentile(sorted, 0.9), Percentile(sorted, 0.95), Percentile(sorted, 0.99),
            sorted.Sum(l => (long)l), trainedTokens);
    }

    /// <summary>Linear interpolation between closest ranks (NumPy's default).</summary>
    private static double Percentile(int[] sorted, double p)
    {
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return Math.Round(sorted[low] + (sorted[high] - sorted[low]) * (rank - low), 1);
    }
}
