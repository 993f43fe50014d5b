using Kefu.Data.Mixing;

namespace Kefu.Data.Reporting;

/// <summary>Everything a build did, as written to report.json and report.md.</summary>
public sealed record BuildReport
{
    public required IReadOnlyList<InputFileReport> Inputs { get; init; }

    /// <summary>Valid records read, per category.</summary>
    public required CategoryCounts Read { get; init; }

    /// <summary>Usable records after removing duplicates and over-cutoff samples: what the mix chose from.</summary>
    public required CategoryCounts BeforeMix { get; init; }

    public required CategoryCounts AfterMix { get; init; }

    public required CategoryCounts Train { get; init; }

    public required CategoryCounts Eval { get; init; }

    /// <summary>Per category: how many records got it from a field, the manifest, or inference.</summary>
    public required IReadOnlyList<CategorySourceReport> CategorySources { get; init; }

    /// <summary>Why inferred categories were chosen, with counts (e.g. "multi-turn (3 user turns)": 12).</summary>
    public required IReadOnlyDictionary<string, int> InferenceReasons { get; init; }

    public required MixReport Mix { get; init; }

    public required TokenLengthStats TrainTokens { get; init; }

    public required TokenLengthStats EvalTokens { get; init; }

    public required HistogramReport Histogram { get; init; }

    public required int Cutoff { get; init; }

    /// <summary>Samples dropped for being longer than the cutoff (never truncated).</summary>
    public required IReadOnlyList<DroppedSample> OverCutoff { get; init; }

    public required IReadOnlyList<DuplicateReport> DuplicatesRemoved { get; init; }

    /// <summary>Training records that nearly duplicate items of the evaluation sets (kept, reported).</summary>
    public required IReadOnlyList<LeakageReport> EvalSetLeakage { get; init; }

    /// <summary>Train records whose customer text nearly duplicates a record of the held-out split.</summary>
    public required IReadOnlyList<LeakageReport> SplitLeakage { get; init; }

    public required PiiReport Pii { get; init; }

    /// <summary>Every warning of the build, compiler-formatted.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }
}

/// <summary>One input file.</summary>
public sealed record InputFileReport(string Path, string? Format, int Records, string? DefaultCategory, string Sha256);

/// <summary>Category sources for one category.</summary>
public sealed record CategorySourceReport(string Category, int Field, int Manifest, int Inferred);

/// <summary>The mix: target, result, and what was done.</summary>
public sealed record MixReport(string TargetRatio, string TargetSize, IReadOnlyList<CategoryMixReport> Categories, double MaxDeviationPoints, IReadOnlyList<string> Actions, IReadOnlyList<string> Warnings);

/// <summary>The mix of one category.</summary>
public sealed record CategoryMixReport(string Category, int Available, int Wanted, int Selected, double TargetPercent, double ActualPercent, double DeviationPoints)
{
    public static CategoryMixReport Of(CategoryMix mix) => new(
        Categories.CategoryNames.ToName(mix.Category), mix.Available, mix.Wanted, mix.Selected,
        Math.Round(mix.TargetShare * 100, 2), Math.Round(mix.ActualShare * 100, 2), Math.Round(mix.DeviationPoints, 2));
}

/// <summary>Histogram bins: counts[i] samples have length in [edges[i], edges[i+1]).</summary>
public sealed record HistogramReport(int BinWidth, IReadOnlyList<int> Edges, IReadOnlyList<int> Train, IReadOnlyList<int> Eval, string Image);

/// <summary>A sample dropped for its length.</summary>
public sealed record DroppedSample(string Source, string Category, int Tokens);

/// <summary>A removed near-duplicate and the record kept in its place.</summary>
public sealed record DuplicateReport(string Removed, string Kept, double Jaccard);

/// <summary>A training record and the evaluation item it nearly duplicates.</summary>
public sealed record LeakageReport(string Train, string Eval, double Jaccard);

/// <summary>Personal data found; masked in the output when <see cref="Masked"/>.</summary>
public sealed record PiiReport(bool Masked, int Total, IReadOnlyDictionary<string, int> ByKind, IReadOnlyList<PiiItemReport> Items);

/// <summary>One piece of personal data (shown masked).</summary>
public sealed record PiiItemReport(string Source, string Field, string Kind, string Masked);
