using Kefu.Data.Mixing;

namespace Kefu.Data.Building;

/// <summary>The inputs of <c>kefu data build</c>.</summary>
public sealed record DatasetBuildOptions
{
    /// <summary>Files and folders to read (see <see cref="Reading.DatasetLoader"/>).</summary>
    public required IReadOnlyList<string> Paths { get; init; }

    /// <summary>A model folder with the tokenizer files (vocab.json, merges.txt, tokenizer_config.json).</summary>
    public required string TokenizerDirectory { get; init; }

    /// <summary>Where the training set, report and log are written (created if absent).</summary>
    public required string OutputDirectory { get; init; }

    public MixRatio Mix { get; init; } = MixRatio.Default;

    public SizeRange Size { get; init; } = SizeRange.Default;

    /// <summary>Seeds down-sampling, the split and the record order: the same seed gives the same files.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Share of each category held out for evaluation.</summary>
    public double EvalFraction { get; init; } = 0.1;

    /// <summary>Maximum tokens of a rendered sample; longer samples are dropped, never truncated.</summary>
    public int Cutoff { get; init; } = 2048;

    /// <summary>Replace personal data by masked forms (138****5678) before rendering.</summary>
    public bool MaskPii { get; init; }

    /// <summary>Jaccard similarity at which records count as near-duplicates.</summary>
    public double NearDuplicateThreshold { get; init; } = 0.8;
}
