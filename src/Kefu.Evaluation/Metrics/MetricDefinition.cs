using Kefu.Evaluation.Scoring;

namespace Kefu.Evaluation.Metrics;

/// <summary>A named metric computed over a set of scenario results; null when no scenario applies.</summary>
/// <param name="Name">The name used in reports, gates and comparisons (snake_case).</param>
/// <param name="Description">What it measures, for the report.</param>
/// <param name="HigherIsBetter">Direction, for comparisons and "not worse" gates.</param>
/// <param name="Compute">The metric over results.</param>
public sealed record MetricDefinition(string Name, string Description, bool HigherIsBetter, Func<IReadOnlyList<ScenarioResult>, double?> Compute);
