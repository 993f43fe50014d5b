using System.Globalization;
using System.Text;
using Kefu.Evaluation.Reporting;

namespace Kefu.Evaluation.Analytics;

/// <summary>The conversation analytics as one self-contained HTML page with inline SVG charts.</summary>
public static class AnalyticsHtmlWriter
{
    public static void Write(AnalyticsReport report, string path) => AtomicFile.WriteAllText(path, Render(report));

    public static string Render(AnalyticsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var b = new StringBuilder();
        var window = $"{(report.From is { } f ? f.ToString("u", CultureInfo.InvariantCulture) : "the beginning")} – {(report.To is { } t ? t.ToString("u", CultureInfo.InvariantCulture) : "now")}";
        b.Append(CultureInfo.InvariantCulture, $"<p>Window {E(window)}, days in {E(report.TimeZone)}.</p>");
        b.Append("<table><tr><th>conversations</th><th>turns</th><th>resolved turns</th><th>hand-off rate</th><th>latency p50</th><th>latency p95</th></tr>");
        b.Append(CultureInfo.InvariantCulture, $"<tr><td>{report.Sessions}</td><td>{report.Turns}</td><td>{report.ResolvedTurns} ({report.ResolutionRate:0.0%})</td><td>{report.HandoffSessions} ({report.HandoffRate:0.0%})</td><td>{report.LatencyP50Ms:0.0} ms</td><td>{report.LatencyP95Ms:0.0} ms</td></tr></table>");
        if (report.Days.Count > 0)
        {
            var labels = report.Days.Select(d => d.Day.ToString("MM-dd", CultureInfo.InvariantCulture)).ToList();
            b.Append(SvgCharts.Lines("Volume per day", labels, [("turns", [.. report.Days.Select(d => (double)d.Turns)]), ("conversations", [.. report.Days.Select(d => (double)d.Sessions)])]));
            b.Append(SvgCharts.Lines("Resolution and hand-off rate per day", labels,
                [("resolution", [.. report.Days.Select(d => d.ResolutionRate)]), ("hand-off", [.. report.Days.Select(d => d.HandoffRate)])], max: 1, format: "0%"));
            b.Append(SvgCharts.Lines("Latency per day (ms)", labels,
                [("p50", [.. report.Days.Select(d => d.LatencyP50Ms)]), ("p95", [.. report.Days.Select(d => d.LatencyP95Ms)])], format: "0"));
        }
        if (report.HandoffReasons.Count > 0)
            b.Append(SvgCharts.HorizontalBars("Hand-off reasons", [.. report.HandoffReasons.Take(15).Select(r => (r.Label, (double)r.Count))], format: "0"));
        if (report.Intents.Count > 0)
        {
            b.Append(SvgCharts.HorizontalBars("Intents (turns)", [.. report.Intents.Select(r => (r.Label, (double)r.Count))], format: "0"));
            b.Append(SvgCharts.HorizontalBars("Resolution rate by intent", [.. report.Intents.Select(r => (r.Label, r.Rate ?? 0))], max: 1));
        }
        b.Append("<h2>Tools</h2><table><tr><th>tool</th><th>calls</th><th>failures</th><th>outcomes</th><th>p95</th></tr>");
        foreach (var tool in report.Tools)
        {
            var outcomes = string.Join(", ", tool.Outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}"));
            b.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(tool.Tool)}</td><td>{tool.Calls}</td><td class=\"{(tool.Failures > 0 ? "bad" : "")}\">{tool.Failures} ({tool.FailureRate:0.0%})</td><td>{E(outcomes)}</td><td>{tool.LatencyP95Ms:0.0} ms</td></tr>");
        }
        b.Append("</table>");
        b.Append(CultureInfo.InvariantCulture, $"<h2>Pain points: unanswered questions ({report.UnansweredClusters.Sum(c => c.Size)} turns, {report.UnansweredClusters.Count} clusters)</h2>");
        b.Append("<table><tr><th>#</th><th>turns</th><th>conversations</th><th>question</th><th>other phrasings</th></tr>");
        foreach (var (cluster, i) in report.UnansweredClusters.Take(50).Select((c, i) => (c, i)))
            b.Append(CultureInfo.InvariantCulture, $"<tr><td>{i + 1}</td><td>{cluster.Size}</td><td>{cluster.Sessions}</td><td>{E(cluster.Representative)}</td><td>{E(string.Join(" | ", cluster.Examples.Where(x => x != cluster.Representative)))}</td></tr>");
        b.Append("</table>");
        return HtmlPage.Wrap("Kefu conversation report", b.ToString());
    }

    private static string E(string text) => SvgCharts.Escape(text);
}
