using System.CommandLine;
using Kefu.Data.Mixing;

namespace Kefu.Cli.Commands.Data;

/// <summary>Options shared by <c>kefu data validate</c> and <c>kefu data build</c>.</summary>
internal static class DataOptions
{
    public static Argument<string[]> Paths() => new("PATH")
    {
        Description = "Dataset files or folders (a folder uses its kefu-data.json, or is scanned for *.json, *.jsonl, *.csv)",
        Arity = ArgumentArity.OneOrMore,
    };

    public static Option<int> Cutoff() => new("--cutoff")
    {
        HelpName = "TOKENS",
        Description = "Maximum tokens of a rendered sample (system prompt, tools and all turns)",
        DefaultValueFactory = _ => 2048,
        Validators = { r => { if (r.GetValueOrDefault<int>() < 16) r.AddError("--cutoff must be at least 16 tokens"); } },
    };

    public static Option<double> NearDuplicateThreshold() => new("--near-dup-threshold")
    {
        HelpName = "JACCARD",
        Description = "Jaccard similarity (3-character shingles) at which two records are near-duplicates",
        DefaultValueFactory = _ => 0.8,
        Validators = { r => { var v = r.GetValueOrDefault<double>(); if (v is <= 0 or > 1) r.AddError("--near-dup-threshold must be in (0, 1]"); } },
    };

    public static Option<MixRatio> Mix() => new("--mix")
    {
        Description = "Target share knowledge:dialogue:exception",
        HelpName = "K:D:E",
        DefaultValueFactory = _ => MixRatio.Default,
        CustomParser = r =>
        {
            if (r.Tokens.Count == 0)
                return MixRatio.Default;
            if (MixRatio.TryParse(r.Tokens[0].Value, out var ratio, out var error))
                return ratio;
            r.AddError("--mix: " + error);
            return null;
        },
    };

    public static Option<SizeRange> Size() => new("--size")
    {
        Description = "Wanted number of samples after mixing, MIN-MAX or N",
        HelpName = "MIN-MAX",
        DefaultValueFactory = _ => SizeRange.Default,
        CustomParser = r =>
        {
            if (r.Tokens.Count == 0)
                return SizeRange.Default;
            if (SizeRange.TryParse(r.Tokens[0].Value, out var size, out var error))
                return size;
            r.AddError("--size: " + error);
            return null;
        },
    };

    public static Option<double> EvalFraction() => new("--eval-fraction")
    {
        HelpName = "FRACTION",
        Description = "Share of each category held out for evaluation",
        DefaultValueFactory = _ => 0.1,
        Validators = { r => { var v = r.GetValueOrDefault<double>(); if (v is < 0 or >= 1) r.AddError("--eval-fraction must be in [0, 1)"); } },
    };
}
