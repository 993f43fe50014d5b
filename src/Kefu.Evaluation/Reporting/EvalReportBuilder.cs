using Kefu.Evaluation.Comparing;
using Kefu.Evaluation.Gating;
using Kefu.Evaluation.Metrics;
using Kefu.Evaluation.Scoring;

namespace Kefu.Evaluation.Reporting;

/// <summary>Assembles a report from scored results: overall and per-category metrics, gates, an optional comparison.</summary>
public static class EvalReportBuilder
{
    public static EvalReport Build(string target, string scenarioFile, DateTimeOffset startedAt, double seconds,
        IReadOnlyList<ScenarioResult> results, IReadOnlyList<Gate>? gates = null, EvalReport? before = null, string? beforeLabel = null, int seed = 12345)
    {
        ArgumentNullException.ThrowIfNull(results);
        var metrics = EvalMetrics.Compute(results);
        var categories = results.GroupBy(r => r.Category, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, double>)EvalMetrics.Compute(g.ToList()), StringComparer.Ordinal);
        var sizes = results.GroupBy(r => r.Category, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var outcomes = (gates ?? []).Select(g => new GateOutcome(g.ToString(), metrics.TryGetValue(g.Metric, out var v) ? v : null,
            g.Passes(metrics.TryGetValue(g.Metric, out var w) ? w : null))).ToList();
        return new EvalReport
        {
            Target = target,
            ScenarioFile = scenarioFile,
            StartedAt = startedAt,
            Seconds = seconds,
            Metrics = metrics,
            Categories = categories,
            CategorySizes = sizes,
            Gates = outcomes,
            Comparison = before is null ? null : BootstrapComparer.Compare(beforeLabel ?? before.Target, before.Results, results, seed: seed),
            Results = results,
        };
    }
}
