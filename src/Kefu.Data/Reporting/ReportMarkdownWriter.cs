using System.Globalization;
using System.Text;

namespace Kefu.Data.Reporting;

/// <summary>report.md: the build report for people (report.json holds the same, for tools).</summary>
public static class ReportMarkdownWriter
{
    private const int ListLimit = 30;

    public static string Render(BuildReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.AppendLine("# Dataset build report").AppendLine();
        Line(md, $"{report.AfterMix.Total} samples after mixing: {report.Train.Total} train, {report.Eval.Total} eval. Target mix {report.Mix.TargetRatio} (knowledge:dialogue:exception), size {report.Mix.TargetSize}; largest deviation {report.Mix.MaxDeviationPoints:0.0} percentage points.");
        md.AppendLine();

        md.AppendLine("## Inputs").AppendLine().AppendLine("| file | format | records | default category |").AppendLine("|---|---|---:|---|");
        foreach (var input in report.Inputs)
            Line(md, $"| {input.Path} | {input.Format ?? "-"} | {input.Records} | {input.DefaultCategory ?? "-"} |");
        md.AppendLine();

        md.AppendLine("## Categories").AppendLine().AppendLine("| category | read | before mix | after mix | train | eval | from field | from manifest | inferred |").AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var source in report.CategorySources)
        {
            var c = Enum.Parse<Records.DataCategory>(source.Category, ignoreCase: true);
            Line(md, $"| {source.Category} | {report.Read[c]} | {report.BeforeMix[c]} | {report.AfterMix[c]} | {report.Train[c]} | {report.Eval[c]} | {source.Field} | {source.Manifest} | {source.Inferred} |");
        }
        Line(md, $"| **total** | {report.Read.Total} | {report.BeforeMix.Total} | {report.AfterMix.Total} | {report.Train.Total} | {report.Eval.Total} | {report.CategorySources.Sum(s => s.Field)} | {report.CategorySources.Sum(s => s.Manifest)} | {report.CategorySources.Sum(s => s.Inferred)} |");
        if (report.InferenceReasons.Count > 0)
        {
            md.AppendLine().AppendLine("Inferred categories, by reason:").AppendLine();
            foreach (var (reason, count) in report.InferenceReasons.OrderByDescending(r => r.Value))
                Line(md, $"- {reason}: {count}");
        }
        md.AppendLine();

        md.AppendLine("## Mix").AppendLine().AppendLine("| category | available | wanted | selected | target % | actual % | deviation (pp) |").AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var c in report.Mix.Categories)
            Line(md, $"| {c.Category} | {c.Available} | {c.Wanted} | {c.Selected} | {c.TargetPercent:0.0} | {c.ActualPercent:0.0} | {c.DeviationPoints:+0.0;-0.0;0.0} |");
        md.AppendLine();
        foreach (var action in report.Mix.Actions)
            md.Append("- ").AppendLine(action);
        foreach (var warning in report.Mix.Warnings)
            md.Append("- **warning:** ").AppendLine(warning);
        md.AppendLine();

        md.AppendLine("## Token lengths").AppendLine().AppendLine("| split | samples | min | median | mean | p90 | p95 | p99 | max | tokens | trained tokens |").AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Stats(md, "train", report.TrainTokens);
        Stats(md, "eval", report.EvalTokens);
        md.AppendLine();
        Line(md, $"![token length histogram]({report.Histogram.Image})");
        md.AppendLine();
        Line(md, $"Cutoff {report.Cutoff} tokens: {report.OverCutoff.Count} longer sample(s) dropped (never truncated).");
        List(md, report.OverCutoff.Select(d => $"{d.Source} ({d.Category}): {d.Tokens} tokens"));

        md.AppendLine("## Duplicates and leakage").AppendLine();
        Line(md, $"{report.DuplicatesRemoved.Count} near-duplicates removed (Jaccard of 3-character shingles; the first occurrence is kept).");
        List(md, report.DuplicatesRemoved.Select(d => $"{d.Removed} ≈ {d.Kept} (Jaccard {d.Jaccard:0.00})"));
        Line(md, $"{report.EvalSetLeakage.Count} training records nearly duplicate an evaluation-set item (kept; evaluation scores on those items are optimistic).");
        List(md, report.EvalSetLeakage.Select(l => $"{l.Train} ≈ {l.Eval} (Jaccard {l.Jaccard:0.00})"));
        Line(md, $"{report.SplitLeakage.Count} train records nearly duplicate the customer text of an eval-split record.");
        List(md, report.SplitLeakage.Select(l => $"{l.Train} ≈ {l.Eval} (Jaccard {l.Jaccard:0.00})"));

        md.AppendLine("## Personal data").AppendLine();
        if (report.Pii.Total == 0)
            md.AppendLine("None found (mobile numbers, ID card numbers, bank card numbers, e-mail addresses).");
        else
            Line(md, $"{report.Pii.Total} found, {(report.Pii.Masked ? "masked in the output" : "NOT masked (build with --mask-pii to mask)")}: {string.Join(", ", report.Pii.ByKind.Select(k => $"{k.Key} {k.Value}"))}.");
        List(md, report.Pii.Items.Select(p => $"{p.Source} {p.Field}: {p.Kind} {p.Masked}"));

        md.AppendLine("## Warnings").AppendLine();
        Line(md, $"{report.Warnings.Count} warning(s).");
        List(md, report.Warnings.Select(w => "`" + w + "`"));
        return md.ToString();
    }

    private static void Stats(StringBuilder md, string name, TokenLengthStats s) =>
        Line(md, $"| {name} | {s.Count} | {s.Min} | {s.Median:0.#} | {s.Mean:0.#} | {s.P90:0.#} | {s.P95:0.#} | {s.P99:0.#} | {s.Max} | {s.TotalTokens} | {s.TrainedTokens} |");

    private static void List(StringBuilder md, IEnumerable<string> items)
    {
        var all = items.ToList();
        md.AppendLine();
        foreach (var item in all.Take(ListLimit))
            md.Append("- ").AppendLine(item);
        if (all.Count > ListLimit)
            Line(md, $"- … and {all.Count - ListLimit} more (see report.json)");
        if (all.Count > 0)
            md.AppendLine();
    }

    private static void Line(StringBuilder md, FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));
}
