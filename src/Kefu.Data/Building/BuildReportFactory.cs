using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kefu.Data.Categories;
using Kefu.Data.Records;
using Kefu.Data.Rendering;
using Kefu.Data.Reporting;
using Kefu.Data.Splitting;
using Kefu.Data.Validation;
using Kefu.Text;

namespace Kefu.Data.Building;

/// <summary>Assembles <see cref="BuildReport"/> and <see cref="Building.DatasetInfo"/> from a build's intermediate results.</summary>
internal static class BuildReportFactory
{
    private static readonly DataCategory[] Categories = [DataCategory.Knowledge, DataCategory.Dialogue, DataCategory.Exception];

    public static BuildReport Create(BuildReportInputs inputs)
    {
        var records = inputs.Validation.Dataset.Records;
        var train = inputs.Split.Train;
        var eval = inputs.Split.Eval;
        var trainLengths = train.Select(r => inputs.Rendered[r].Length).ToList();
        var evalLengths = eval.Select(r => inputs.Rendered[r].Length).ToList();
        return new BuildReport
        {
            Inputs = Inputs(inputs.Validation),
            Read = CategoryCounts.Of(records),
            BeforeMix = CategoryCounts.Of(inputs.Deduplicated.Where(inputs.Rendered.ContainsKey)),
            AfterMix = CategoryCounts.Of(inputs.Plan.Selected),
            Train = CategoryCounts.Of(train),
            Eval = CategoryCounts.Of(eval),
            CategorySources = [.. Categories.Select(c => new CategorySourceReport(c.ToName(),
                records.Count(r => r.Category == c && r.CategorySource == CategorySource.Field),
                records.Count(r => r.Category == c && r.CategorySource == CategorySource.Manifest),
                records.Count(r => r.Category == c && r.CategorySource == CategorySource.Inferred)))],
            InferenceReasons = records.Where(r => r.CategorySource == CategorySource.Inferred)
                .GroupBy(r => $"{r.Category.ToName()}: {r.CategoryReason}").OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count()),
            Mix = new MixReport(inputs.Options.Mix.ToString(), inputs.Options.Size.ToString(),
                [.. inputs.Plan.Categories.Select(CategoryMixReport.Of)], Math.Round(inputs.Plan.MaxDeviationPoints, 2), inputs.Plan.Actions, inputs.Plan.Warnings),
            TrainTokens = TokenLengthStats.Of(trainLengths, train.Sum(r => (long)inputs.Rendered[r].TrainedTokens)),
            EvalTokens = TokenLengthStats.Of(evalLengths, eval.Sum(r => (long)inputs.Rendered[r].TrainedTokens)),
            Histogram = TokenHistogram.Bin(trainLengths, evalLengths, BuildArtifacts.Histogram),
            Cutoff = inputs.Options.Cutoff,
            OverCutoff = [.. inputs.OverCutoff.Select(s => new DroppedSample(s.Record.Source, s.Record.Category.ToName(), s.Length))],
            DuplicatesRemoved = [.. inputs.Validation.Duplicates.Select(d => new DuplicateReport(d.Duplicate.Source, d.Kept.Source, Math.Round(d.Jaccard, 3)))],
            EvalSetLeakage = [.. inputs.Validation.Leakage.Select(l => new LeakageReport(l.Train.Source, l.Eval.Location, Math.Round(l.Jaccard, 3)))],
            SplitLeakage = [.. inputs.SplitLeakage.Select(p => new LeakageReport(train[p.Second].Source, eval[p.First].Source, Math.Round(p.Jaccard, 3)))],
            Pii = Pii(inputs.Validation, inputs.Options.MaskPii),
            Warnings = inputs.Warnings,
        };
    }

    public static DatasetInfo DatasetInfo(DatasetBuildOptions options, Qwen2Tokenizer tokenizer, BuildReport report, TrainEvalSplit split,
        IReadOnlyDictionary<DataRecord, RenderedSample> rendered, TimeProvider time)
    {
        var all = split.Train.Concat(split.Eval).ToList();
        return new DatasetInfo
        {
            Files = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["train"] = BuildArtifacts.Train, ["eval"] = BuildArtifacts.Eval },
            Tokenizer = TokenizerInfo.Of(tokenizer, options.TokenizerDirectory),
            Cutoff = options.Cutoff,
            Seed = options.Seed,
            EvalFraction = options.EvalFraction,
            MaskPii = options.MaskPii,
            Mix = new MixInfo(options.Mix.ToString(), options.Size.ToString(),
                Categories.ToDictionary(c => c.ToName(), c => Math.Round(options.Mix.Share(c), 4)),
                Categories.ToDictionary(c => c.ToName(), c => all.Count == 0 ? 0 : Math.Round((double)all.Count(r => r.Category == c) / all.Count, 4))),
            Train = report.Train,
            Eval = report.Eval,
            TrainTokens = split.Train.Sum(r => (long)rendered[r].Length),
            MaxLength = all.Select(r => rendered[r].Length).DefaultIfEmpty(0).Max(),
            Inputs = report.Inputs,
            InputsSha256 = InputsHash(report.Inputs),
            CreatedUtc = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
        };
    }

    private static List<InputFileReport> Inputs(ValidationReport validation) =>
        [.. validation.Dataset.Sources.Select(s => new InputFileReport(s.File.RelativePath, s.Format?.ToName(), s.Records,
            s.File.DefaultCategory?.ToName(), TokenizerInfo.Sha256File(s.File.FullPath)))];

    private static string InputsHash(IEnumerable<InputFileReport> inputs)
    {
        var text = new StringBuilder();
        foreach (var input in inputs.OrderBy(i => i.Path, StringComparer.Ordinal))
            text.Append(input.Path).Append('\0').Append(input.Sha256).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static PiiReport Pii(ValidationReport validation, bool masked)
    {
        var byKind = validation.Pii.GroupBy(p => p.Match.KindName).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        var items = validation.Pii.Select(p => new PiiItemReport(p.Record.Source, p.Field, p.Match.KindName, p.Match.Masked)).ToList();
        return new PiiReport(masked, validation.Pii.Count, byKind, items);
    }
}
