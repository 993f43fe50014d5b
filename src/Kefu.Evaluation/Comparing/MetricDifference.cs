namespace Kefu.Evaluation.Comparing;

/// <summary>
/// One metric in two runs: the values over the shared scenarios, their difference (after − before) and its
/// bootstrap 95 % confidence interval; <see cref="Significant"/> when the interval excludes zero.
/// </summary>
public sealed record MetricDifference(string Metric, bool HigherIsBetter, double Before, double After, double Difference, double Low, double High)
{
    public bool Significant => Low > 0 || High < 0;

    /// <summary>Significantly better (in the metric's direction).</summary>
    public bool Improved => Significant && (HigherIsBetter ? Low > 0 : High < 0);

    /// <summary>Significantly worse.</summary>
    public bool Regressed => Significant && (HigherIsBetter ? High < 0 : Low > 0);
}
