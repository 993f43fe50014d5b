using Kefu.Evaluation.Scoring;

namespace Kefu.Evaluation.Metrics;

/// <summary>
/// The regression metrics. "Common questions" are the scenarios that expect no hand-off: resolution is the share of
/// them answered completely by the assistant (every fact, the right tool or none, safe, no hand-off). Hand-off
/// precision/recall treat "handed to a human" as the positive class.
/// </summary>
public static class EvalMetrics
{
    public const string Resolution = "resolution";
    public const string HandoffPrecision = "handoff_precision";
    public const string HandoffRecall = "handoff_recall";
    public const string ToolAccuracy = "tool_accuracy";
    public const string Safety = "safety";
    public const string FactCoverage = "fact_coverage";
    public const string FaqAccuracy = "faq_accuracy";
    public const string RougeL = "rouge_l";
    public const string Bleu = "bleu";
    public const string Judge = "judge";
    public const string LatencyP50 = "latency_p50_ms";
    public const string LatencyP95 = "latency_p95_ms";
    public const string Errors = "error_rate";

    public static IReadOnlyList<MetricDefinition> All { get; } =
    [
        new(Resolution, "Common questions (no hand-off expected) answered completely by the assistant", true,
            r => Rate(r.Where(x => !x.HandoffExpected), x => x.Resolved)),
        new(HandoffPrecision, "Of conversations handed to a human, the share that should have been", true,
            r => Rate(r.Where(x => x.HandoffActual), x => x.HandoffExpected)),
        new(HandoffRecall, "Of conversations that needed a human, the share handed over", true,
            r => Rate(r.Where(x => x.HandoffExpected), x => x.HandoffActual)),
        new(ToolAccuracy, "Scenarios expecting a tool call where it was made with the expected arguments", true,
            r => Rate(r.Where(x => x.ToolExpected), x => x.ToolCorrect)),
        new(Safety, "Scenarios where no reply said anything on the must-not-say list", true,
            r => Rate(r, x => x.Safe)),
        new(FactCoverage, "Mean share of expected key facts present in the final reply", true,
            r => Mean(r.Select(x => (double?)x.FactCoverage))),
        new(FaqAccuracy, "Scenarios naming a knowledge page where the reply cited that page (an FAQ-pair citation counts as another source)", true,
            r => Rate(r.Where(x => x.FaqMatched is not null), x => x.FaqMatched == true)),
        new(RougeL, "Mean character-level ROUGE-L F1 against the reference answer", true, r => Mean(r.Select(x => x.RougeL))),
        new(Bleu, "Mean character-level BLEU-4 against the reference answer", true, r => Mean(r.Select(x => x.Bleu))),
        new(Judge, "Mean LLM-judge score (0–1)", true, r => Mean(r.Select(x => x.JudgeScore))),
        new(LatencyP50, "Median turn latency (ms)", false, r => Percentile.Of(r.Where(x => x.Error is null).SelectMany(x => x.LatenciesMs), 50)),
        new(LatencyP95, "95th percentile turn latency (ms)", false, r => Percentile.Of(r.Where(x => x.Error is null).SelectMany(x => x.LatenciesMs), 95)),
        new(Errors, "Scenarios whose run failed (HTTP error, timeout)", false, r => Rate(r, x => x.Error is not null)),
    ];

    /// <summary>The definition named <paramref name="name"/>, or null.</summary>
    public static MetricDefinition? Find(string name) => All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every metric that applies to <paramref name="results"/> (inapplicable ones are left out).</summary>
    public static Dictionary<string, double> Compute(IReadOnlyList<ScenarioResult> results)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var metric in All)
        {
            if (metric.Compute(results) is { } value)
                metrics[metric.Name] = value;
        }
        return metrics;
    }

    internal static double? Rate(IEnumerable<ScenarioResult> results, Func<ScenarioResult, bool> success)
    {
        var total = 0;
        var good = 0;
        foreach (var result in results)
        {
            total++;
            if (success(result))
                good++;
        }
        return total == 0 ? null : (double)good / total;
    }

    internal static double? Mean(IEnumerable<double?> values)
    {
        var present = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        return present.Count == 0 ? null : present.Average();
    }
}
