namespace Kefu.Quantization.Reporting;

/// <summary>What was measured for one model variant (bf16, GPTQ int4, RTN int4).</summary>
public sealed record VariantMeasurement
{
    public required string Name { get; init; }

    /// <summary>Bytes of every weight the loaded model holds (parameters and quantized buffers).</summary>
    public required long WeightBytes { get; init; }

    /// <summary>Bytes of the decoder linears alone (the part quantization shrinks).</summary>
    public required long LinearWeightBytes { get; init; }

    /// <summary>Resident memory once the model is loaded (the mapped checkpoint closed).</summary>
    public required long ResidentAfterLoadBytes { get; init; }

    /// <summary>Peak resident memory while loading and decoding with this variant (before the perplexity pass, whose logits would dominate).</summary>
    public required long PeakResidentBytes { get; init; }

    public required PerplexityResult Perplexity { get; init; }

    public required double DecodeTokensPerSecond { get; init; }
}
