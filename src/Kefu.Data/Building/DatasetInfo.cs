using System.Security.Cryptography;
using Kefu.Data.Reporting;
using Kefu.Text;

namespace Kefu.Data.Building;

/// <summary>
/// <c>dataset.json</c>: what the trainer checks before it trusts train.jsonl — the format version, the tokenizer
/// the ids belong to (vocabulary size, special ids, hashes of its files), the cutoff, seed and mix, the counts,
/// and a hash of the inputs, so a stale or mismatched dataset is caught before a training run is wasted on it.
/// </summary>
public sealed record DatasetInfo
{
    /// <summary>The training-file format written by this version (see TrainingSetWriter).</summary>
    public const string CurrentFormat = "kefu-sft/1";

    public string Format { get; init; } = CurrentFormat;

    public required IReadOnlyDictionary<string, string> Files { get; init; }

    public required TokenizerInfo Tokenizer { get; init; }

    public required int Cutoff { get; init; }

    public required int Seed { get; init; }

    public required double EvalFraction { get; init; }

    public required bool MaskPii { get; init; }

    public required MixInfo Mix { get; init; }

    public required CategoryCounts Train { get; init; }

    public required CategoryCounts Eval { get; init; }

    public required long TrainTokens { get; init; }

    public required int MaxLength { get; init; }

    public required IReadOnlyList<InputFileReport> Inputs { get; init; }

    /// <summary>SHA-256 over every input's relative path and SHA-256, in path order: changes when any input changes.</summary>
    public required string InputsSha256 { get; init; }

    public required string CreatedUtc { get; init; }
}

/// <summary>The tokenizer the ids were made with.</summary>
public sealed record TokenizerInfo(string Directory, int VocabSize, int EndOfTextId, int ImStartId, int ImEndId,
    IReadOnlyDictionary<string, int> SpecialTokens, IReadOnlyDictionary<string, string> FilesSha256)
{
    private static readonly string[] TokenizerFiles = ["vocab.json", "merges.txt", "tokenizer.json", "tokenizer_config.json"];

    public static TokenizerInfo Of(Qwen2Tokenizer tokenizer, string directory)
    {
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in TokenizerFiles)
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path))
                hashes[name] = Sha256File(path);
        }
        return new TokenizerInfo(Path.GetFullPath(directory), tokenizer.VocabularySize, tokenizer.EndOfTextId, tokenizer.ImStartId,
            tokenizer.ImEndId, new SortedDictionary<string, int>(tokenizer.SpecialTokens.ToDictionary(), StringComparer.Ordinal), hashes);
    }

    internal static string Sha256File(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

/// <summary>Target and actual mix, as shares 0–1.</summary>
public sealed record MixInfo(string Target, string Size, IReadOnlyDictionary<string, double> TargetShares, IReadOnlyDictionary<string, double> ActualShares);
