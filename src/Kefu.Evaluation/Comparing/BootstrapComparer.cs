using Kefu.Evaluation.Metrics;
using Kefu.Evaluation.Scoring;

namespace Kefu.Evaluation.Comparing;

/// <summary>
/// Paired bootstrap over scenarios: both runs answered the same scenarios, so each resample draws scenario ids with
/// replacement and recomputes every metric for both runs on that same draw; the 2.5th and 97.5th percentiles of the
/// differences are the 95 % interval. Pairing removes the variance between scenarios (an easy scenario is easy in
/// both runs), which an unpaired test would count as noise. Seeded, so a report can be reproduced.
/// </summary>
public static class BootstrapComparer
{
    public static RunComparison Compare(string beforeLabel, IReadOnlyList<ScenarioResult> before, IReadOnlyList<ScenarioResult> after,
        int resamples = 2000, int seed = 12345)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 100);
        var afterById = after.GroupBy(r => r.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var pairs = before.Where(b => afterById.ContainsKey(b.Id)).DistinctBy(b => b.Id).Select(b => (Before: b, After: afterById[b.Id])).ToList();
        if (pairs.Count == 0)
            throw new ArgumentException($"The runs share no scenario ids; compare runs of the same regression set ({beforeLabel}).");
        var beforeSample = pairs.Select(p => p.Before).ToList();
        var afterSample = pairs.Select(p => p.After).ToList();
        var differences = new List<MetricDifference>();
        var random = new Random(seed);
        var indices = new int[pairs.Count];
        foreach (var metric in EvalMetrics.All)
        {
            if (metric.Compute(beforeSample) is not { } b || metric.Compute(afterSample) is not { } a)
                continue;
            var draws = new List<double>(resamples);
            var drawBefore = new ScenarioResult[pairs.Count];
            var drawAfter = new ScenarioResult[pairs.Count];
            for (var s = 0; s < resamples; s++)
            {
                for (var i = 0; i < indices.Length; i++)
                {
                    var pick = random.Next(pairs.Count);
                    drawBefore[i] = pairs[pick].Before;
                    drawAfter[i] = pairs[pick].After;
                }
                // A draw may hold no scenario the metric applies to (e.g. no hand-off case): skip it.
                if (metric.Compute(drawBefore) is { } db && metric.Compute(drawAfter) is { } da)
                    draws.Add(da - db);
            }
            draws.Sort();
            var low = draws.Count > 0 ? Percentile.OfSorted(draws, 2.5) : a - b;
            var high = draws.Count > 0 ? Percentile.OfSorted(draws, 97.5) : a - b;
            differences.Add(new MetricDifference(metric.Name, metric.HigherIsBetter, b, a, a - b, low, high));
        }
        return new RunComparison(beforeLabel, pairs.Count, resamples, seed, differences);
    }
}
