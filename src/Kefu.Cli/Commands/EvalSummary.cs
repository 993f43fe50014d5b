using System.Globalization;
using Kefu.Evaluation.Metrics;
using Kefu.Evaluation.Reporting;
using Spectre.Console;

namespace Kefu.Cli.Commands;

/// <summary>The evaluation's headline numbers, gates and comparison on the terminal.</summary>
internal static class EvalSummary
{
    public static void Print(IAnsiConsole console, EvalReport report)
    {
        var table = new Table().AddColumns("metric", "value");
        foreach (var metric in EvalMetrics.All.Where(m => report.Metrics.ContainsKey(m.Name)))
        {
            var value = report.Metrics[metric.Name];
            table.AddRow(metric.Name, metric.Name.EndsWith("_ms", StringComparison.Ordinal)
                ? value.ToString("0.0", CultureInfo.InvariantCulture) + " ms" : value.ToString("0.0%", CultureInfo.InvariantCulture));
        }
        console.Write(table);
        if (report.Comparison is { } comparison)
        {
            var diff = new Table().AddColumns("metric", "before", "after", "Δ", "95% CI", "");
            foreach (var d in comparison.Differences)
            {
                diff.AddRow(d.Metric, d.Before.ToString("0.###", CultureInfo.InvariantCulture), d.After.ToString("0.###", CultureInfo.InvariantCulture),
                    d.Difference.ToString("+0.###;-0.###;0", CultureInfo.InvariantCulture),
                    Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"[{d.Low:0.###}, {d.High:0.###}]")),
                    d.Improved ? "[green]better[/]" : d.Regressed ? "[red]worse[/]" : "");
            }
            console.Write(diff);
        }
        foreach (var gate in report.Gates)
        {
            var value = gate.Value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "absent";
            console.MarkupLine($"gate {Markup.Escape(gate.Gate)}: {value} {(gate.Passed ? "[green]pass[/]" : "[red]FAIL[/]")}");
        }
    }
}
