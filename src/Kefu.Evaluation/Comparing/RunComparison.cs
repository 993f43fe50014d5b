namespace Kefu.Evaluation.Comparing;

/// <summary>Two evaluation runs compared on the scenarios both ran.</summary>
/// <param name="BeforeLabel">The earlier run (its file or target).</param>
/// <param name="SharedScenarios">Scenarios present in both runs (the comparison's sample).</param>
/// <param name="Resamples">Bootstrap resamples drawn.</param>
/// <param name="Seed">The bootstrap's seed (same seed, same intervals).</param>
/// <param name="Differences">One entry per metric present in both.</param>
public sealed record RunComparison(string BeforeLabel, int SharedScenarios, int Resamples, int Seed, IReadOnlyList<MetricDifference> Differences);
