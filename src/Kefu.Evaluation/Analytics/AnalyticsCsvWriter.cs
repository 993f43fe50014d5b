using System.Globalization;
using Kefu.Evaluation.Reporting;

namespace Kefu.Evaluation.Analytics;

/// <summary>
/// The report's tables as CSV (RFC 4180 quoting, UTF-8, comma, invariant numbers): daily.csv, intents.csv,
/// handoff_reasons.csv, tools.csv, unanswered_clusters.csv.
/// </summary>
public static class AnalyticsCsvWriter
{
    public static IReadOnlyList<string> Write(AnalyticsReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        var files = new List<string>();
        void Save(string name, string[] header, IEnumerable<object[]> rows)
        {
            var path = Path.Combine(directory, name);
            AtomicFile.WriteAllLines(path, [Line(header), .. rows.Select(Line)]);
            files.Add(path);
        }
        Save("daily.csv", ["day", "sessions", "turns", "resolved_turns", "resolution_rate", "handoff_sessions", "handoff_rate", "latency_p50_ms", "latency_p95_ms"],
            report.Days.Select(d => new object[] { d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Sessions, d.Turns, d.ResolvedTurns, d.ResolutionRate, d.HandoffSessions, d.HandoffRate, d.LatencyP50Ms, d.LatencyP95Ms }));
        Save("intents.csv", ["intent", "turns", "resolution_rate"], report.Intents.Select(i => new object[] { i.Label, i.Count, i.Rate ?? 0 }));
        Save("handoff_reasons.csv", ["reason", "turns"], report.HandoffReasons.Select(r => new object[] { r.Label, r.Count }));
        Save("tools.csv", ["tool", "calls", "failures", "failure_rate", "outcomes", "latency_p95_ms"],
            report.Tools.Select(t => new object[] { t.Tool, t.Calls, t.Failures, t.FailureRate, string.Join(';', t.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}")), t.LatencyP95Ms }));
        Save("unanswered_clusters.csv", ["rank", "size", "sessions", "representative", "examples"],
            report.UnansweredClusters.Select((c, i) => new object[] { i + 1, c.Size, c.Sessions, c.Representative, string.Join(" | ", c.Examples) }));
        return files;
    }

    internal static string Line(object[] cells) => string.Join(',', cells.Select(Cell));

    private static string Cell(object value)
    {
        var text = value switch
        {
            double d => d.ToString("0.######", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
