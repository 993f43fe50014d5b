namespace Kefu.Evaluation.Metrics;

/// <summary>Percentiles by linear interpolation between closest ranks (numpy's default), so p50 of {1,2} is 1.5.</summary>
public static class Percentile
{
    public static double? Of(IEnumerable<double> values, double percent)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        return sorted.Length == 0 ? null : OfSorted(sorted, percent);
    }

    public static double OfSorted(IReadOnlyList<double> sorted, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (sorted.Count == 1)
            return sorted[0];
        var rank = percent / 100 * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
