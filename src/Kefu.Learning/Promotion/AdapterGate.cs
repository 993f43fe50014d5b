using System.Globalization;
using Kefu.Evaluation.Metrics;
using Kefu.Evaluation.Reporting;

namespace Kefu.Learning.Promotion;

/// <summary>
/// "Not worse": the candidate is promoted only if, on every gated metric, it is at least as good as the adapter in
/// service (within <paramref name="tolerance"/>, in the metric's direction). A metric neither run measured (no tool
/// scenario in the set) is skipped; one only the baseline has is a refusal, because absence is not evidence.
/// </summary>
public sealed class AdapterGate(IReadOnlyList<string> metrics, double tolerance = 0)
{
    public GateDecision Decide(EvalReport baseline, EvalReport candidate)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        var reasons = new List<string>();
        var promote = true;
        foreach (var name in metrics)
        {
            var definition = EvalMetrics.Find(name) ?? throw new ArgumentException($"gate_metrics: unknown metric \"{name}\".");
            var hasBefore = baseline.Metrics.TryGetValue(definition.Name, out var before);
            var hasAfter = candidate.Metrics.TryGetValue(definition.Name, out var after);
            if (!hasBefore && !hasAfter)
            {
                reasons.Add($"{definition.Name}: not measured by this regression set (skipped)");
                continue;
            }
            if (!hasAfter)
            {
                promote = false;
                reasons.Add($"{definition.Name}: missing in the candidate's evaluation");
                continue;
            }
            var delta = definition.HigherIsBetter ? after - before : before - after;
            var ok = !hasBefore || delta >= -tolerance;
            promote &= ok;
            reasons.Add(string.Create(CultureInfo.InvariantCulture,
                $"{definition.Name}: {(hasBefore ? before.ToString("0.####", CultureInfo.InvariantCulture) : "–")} → {after:0.####} {(ok ? "ok" : "WORSE")}"));
        }
        return new GateDecision(promote, reasons);
    }
}
