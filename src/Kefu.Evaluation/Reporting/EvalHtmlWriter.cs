using System.Globalization;
using System.Text;
using Kefu.Evaluation.Metrics;

namespace Kefu.Evaluation.Reporting;

/// <summary>The evaluation report as one self-contained HTML page: metrics, gates, categories, comparison, failures.</summary>
public static class EvalHtmlWriter
{
    public static void Write(EvalReport report, string path) => AtomicFile.WriteAllText(path, Render(report));

    public static string Render(EvalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<p>Target <b>{E(report.Target)}</b>, scenarios {E(report.ScenarioFile)} ({report.Results.Count}), started {report.StartedAt:u}, {report.Seconds:0.0} s.</p>");
        body.Append("<h2>Metrics</h2><table><tr><th>metric</th><th>value</th><th>meaning</th></tr>");
        foreach (var metric in EvalMetrics.All.Where(m => report.Metrics.ContainsKey(m.Name)))
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{metric.Name}</td><td>{Format(metric.Name, report.Metrics[metric.Name])}</td><td>{E(metric.Description)}</td></tr>");
        body.Append("</table>");
        var rates = EvalMetrics.All.Where(m => m.HigherIsBetter && report.Metrics.ContainsKey(m.Name)).Select(m => (m.Name, report.Metrics[m.Name])).ToList();
        body.Append(SvgCharts.HorizontalBars("Quality metrics", rates, max: 1));
        if (report.Gates.Count > 0)
        {
            body.Append("<h2>Gates</h2><table><tr><th>gate</th><th>value</th><th>result</th></tr>");
            foreach (var gate in report.Gates)
            {
                var value = gate.Value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "absent";
                body.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(gate.Gate)}</td><td>{value}</td><td class=\"{(gate.Passed ? "good" : "bad")}\">{(gate.Passed ? "pass" : "FAIL")}</td></tr>");
            }
            body.Append("</table>");
        }
        body.Append("<h2>By category</h2>");
        body.Append(SvgCharts.HorizontalBars("Resolution by category",
            [.. report.Categories.Where(c => c.Value.ContainsKey(EvalMetrics.Resolution)).Select(c => ($"{c.Key} ({report.CategorySizes.GetValueOrDefault(c.Key)})", c.Value[EvalMetrics.Resolution]))], max: 1));
        var columns = new[] { EvalMetrics.Resolution, EvalMetrics.FactCoverage, EvalMetrics.ToolAccuracy, EvalMetrics.HandoffRecall, EvalMetrics.Safety, EvalMetrics.LatencyP95 };
        body.Append("<table><tr><th>category</th><th>n</th>").Append(string.Concat(columns.Select(c => $"<th>{c}</th>"))).Append("</tr>");
        foreach (var (category, metrics) in report.Categories)
        {
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(category)}</td><td>{report.CategorySizes.GetValueOrDefault(category)}</td>");
            foreach (var column in columns)
                body.Append("<td>").Append(metrics.TryGetValue(column, out var v) ? Format(column, v) : "–").Append("</td>");
            body.Append("</tr>");
        }
        body.Append("</table>");
        var latencies = report.Results.SelectMany(r => r.LatenciesMs).ToList();
        if (latencies.Count > 0)
            body.Append(SvgCharts.HorizontalBars("Turn latency (ms)", LatencyBuckets(latencies), format: "0"));
        if (report.Comparison is { } comparison)
        {
            body.Append(CultureInfo.InvariantCulture, $"<h2>Compared with {E(comparison.BeforeLabel)}</h2><p>{comparison.SharedScenarios} shared scenarios, paired bootstrap ({comparison.Resamples} resamples, seed {comparison.Seed}), 95 % intervals.</p>");
            body.Append("<table><tr><th>metric</th><th>before</th><th>after</th><th>difference</th><th>95 % CI</th><th></th></tr>");
            foreach (var d in comparison.Differences)
            {
                var verdict = d.Improved ? "<td class=\"good\">better</td>" : d.Regressed ? "<td class=\"bad\">worse</td>" : "<td>no significant change</td>";
                body.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{d.Metric}</td><td>{Format(d.Metric, d.Before)}</td><td>{Format(d.Metric, d.After)}</td><td>{d.Difference:+0.####;-0.####;0}</td><td>[{d.Low:0.####}, {d.High:0.####}]</td>{verdict}</tr>");
            }
            body.Append("</table>");
        }
        var failures = report.Results.Where(r => !r.Resolved && !r.HandoffExpected || r.HandoffExpected != r.HandoffActual || !r.Safe || r.Error is not null).ToList();
        body.Append(CultureInfo.InvariantCulture, $"<h2>Scenarios that did not pass ({failures.Count})</h2><table><tr><th>id</th><th>category</th><th>customer</th><th>reply</th><th>problems</th></tr>");
        foreach (var r in failures)
        {
            var problems = new List<string>();
            if (r.Error is not null) problems.Add("error: " + r.Error);
            if (r.MissingFacts.Count > 0) problems.Add("missing: " + string.Join("、", r.MissingFacts));
            if (r.FaqMatched == false) problems.Add("page not cited");
            if (!r.ToolCorrect) problems.Add(r.ToolExpected ? "tool call wrong/missing" : "unexpected tool call");
            if (r.HandoffExpected != r.HandoffActual) problems.Add(r.HandoffExpected ? "no hand-off" : "needless hand-off");
            if (!r.Safe) problems.Add("said: " + string.Join("、", r.Violations));
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(r.Id)}</td><td>{E(r.Category)}</td><td>{E(string.Join(" / ", r.Turns))}</td><td>{E(r.Reply)}</td><td>{E(string.Join("; ", problems))}</td></tr>");
        }
        body.Append("</table>");
        return HtmlPage.Wrap("Kefu evaluation", body.ToString());
    }

    internal static List<(string, double)> LatencyBuckets(IReadOnlyList<double> latencies)
    {
        double[] bounds = [50, 100, 250, 500, 1000, 2500, 5000, 10000];
        var buckets = new List<(string, double)>();
        var lower = 0.0;
        foreach (var bound in bounds)
        {
            buckets.Add(($"{lower:0}–{bound:0} ms", latencies.Count(l => l >= lower && l < bound)));
            lower = bound;
        }
        buckets.Add(($"≥ {lower:0} ms", latencies.Count(l => l >= lower)));
        return buckets;
    }

    private static string Format(string metric, double value) =>
        metric.EndsWith("_ms", StringComparison.Ordinal) ? value.ToString("0.0", CultureInfo.InvariantCulture) + " ms" : value.ToString("0.0%", CultureInfo.InvariantCulture);

    private static string E(string text) => SvgCharts.Escape(text);
}
