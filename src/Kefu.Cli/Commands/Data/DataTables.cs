using System.Globalization;
using Kefu.Data.Categories;
using Kefu.Data.Reading;
using Kefu.Data.Records;
using Kefu.Data.Reporting;
using Spectre.Console;

namespace Kefu.Cli.Commands.Data;

/// <summary>The summary tables <c>kefu data</c> prints after its diagnostics.</summary>
internal static class DataTables
{
    private static readonly DataCategory[] Categories = [DataCategory.Knowledge, DataCategory.Dialogue, DataCategory.Exception];

    public static void WriteFiles(IAnsiConsole console, LoadedDataset dataset)
    {
        var table = new Table().Title("Files").AddColumns("file", "format", "records", "default category");
        foreach (var source in dataset.Sources)
            table.AddRow(Markup.Escape(source.File.DisplayPath), source.Format?.ToName() ?? "-", Number(source.Records), source.File.DefaultCategory?.ToName() ?? "-");
        foreach (var eval in dataset.EvalFiles)
            table.AddRow(Markup.Escape(eval.DisplayPath), "eval set", "-", "-");
        console.Write(table);
    }

    /// <summary>How each record got its category: its own field, the manifest's default, or inference.</summary>
    public static void WriteCategorySources(IAnsiConsole console, IReadOnlyList<DataRecord> records)
    {
        var table = new Table().Title("Categories (by source of the category)").AddColumns("category", "field", "manifest", "inferred", "total");
        foreach (var category in Categories)
        {
            var members = records.Where(r => r.Category == category).ToList();
            table.AddRow(category.ToName(), Number(members.Count(r => r.CategorySource == CategorySource.Field)),
                Number(members.Count(r => r.CategorySource == CategorySource.Manifest)),
                Number(members.Count(r => r.CategorySource == CategorySource.Inferred)), Number(members.Count));
        }
        table.AddRow("total", Number(records.Count(r => r.CategorySource == CategorySource.Field)),
            Number(records.Count(r => r.CategorySource == CategorySource.Manifest)),
            Number(records.Count(r => r.CategorySource == CategorySource.Inferred)), Number(records.Count));
        console.Write(table);
    }

    public static void WriteBuildSummary(IAnsiConsole console, BuildReport report)
    {
        var counts = new Table().Title("Records per category (deviation in percentage points)").AddColumns("category", "read", "usable", "mixed", "train", "eval", "target%", "actual%", "dev");
        foreach (var mix in report.Mix.Categories)
        {
            var c = Enum.Parse<DataCategory>(mix.Category, ignoreCase: true);
            counts.AddRow(mix.Category, Number(report.Read[c]), Number(report.BeforeMix[c]), Number(report.AfterMix[c]), Number(report.Train[c]),
                Number(report.Eval[c]), Percent(mix.TargetPercent), Percent(mix.ActualPercent), mix.DeviationPoints.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture));
        }
        counts.AddRow("total", Number(report.Read.Total), Number(report.BeforeMix.Total), Number(report.AfterMix.Total), Number(report.Train.Total), Number(report.Eval.Total), "100.0", "100.0", "");
        console.Write(counts);

        var tokens = new Table().Title("Token lengths").AddColumns("split", "samples", "min", "median", "mean", "p95", "max", "trained tokens");
        foreach (var (name, s) in new[] { ("train", report.TrainTokens), ("eval", report.EvalTokens) })
            tokens.AddRow(name, Number(s.Count), Number(s.Min), Number(s.Median), Number(s.Mean), Number(s.P95), Number(s.Max), Number(s.TrainedTokens));
        console.Write(tokens);

        foreach (var action in report.Mix.Actions)
            console.MarkupLine($"mix: {Markup.Escape(action)}");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dropped over cutoff {report.Cutoff}: {report.OverCutoff.Count}; near-duplicates removed: {report.DuplicatesRemoved.Count}; eval-set leakage: {report.EvalSetLeakage.Count}; split leakage: {report.SplitLeakage.Count}; personal data: {report.Pii.Total}{(report.Pii.Total > 0 ? report.Pii.Masked ? " (masked)" : " (not masked: use --mask-pii)" : "")}"));
    }

    private static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Percent(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
