using Kefu.Text;

namespace Kefu.Data.Validation;

/// <summary>What <see cref="DatasetValidator"/> checks beyond the per-record rules.</summary>
public sealed record ValidationOptions
{
    /// <summary>When set, every sample is rendered and checked against <see cref="Cutoff"/>; when null that check is skipped with a note.</summary>
    public Qwen2Tokenizer? Tokenizer { get; init; }

    /// <summary>Maximum tokens of a rendered sample (system, tools and all turns).</summary>
    public int Cutoff { get; init; } = 2048;

    /// <summary>Jaccard similarity (3-character shingles) at which two records count as near-duplicates.</summary>
    public double NearDuplicateThreshold { get; init; } = 0.8;
}
