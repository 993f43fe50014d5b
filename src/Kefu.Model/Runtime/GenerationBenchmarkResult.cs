namespace Kefu.Model.Runtime;

/// <summary>What <see cref="GenerationBenchmark"/> measured; rates are tokens per second.</summary>
public sealed record GenerationBenchmarkResult
{
    public required string DType { get; init; }
    public required int Threads { get; init; }
    public required int PromptTokens { get; init; }
    public required int NewTokens { get; init; }
    public required TimeSpan Prefill { get; init; }
    public required TimeSpan TimeToFirstToken { get; init; }
    public required TimeSpan Decode { get; init; }
    public required double PrefillTokensPerSecond { get; init; }
    public required double DecodeTokensPerSecond { get; init; }
    public required long PeakResidentBytes { get; init; }

    /// <summary>Weight bytes one decode step reads: every parameter once (the embedding table once, via the head when tied).</summary>
    public required long WeightBytesPerToken { get; init; }

    public required double ReadBytesPerSecond { get; init; }

    /// <summary>Decode rate if reading the weights at the measured bandwidth were the only cost.</summary>
    public double BoundTokensPerSecond => ReadBytesPerSecond / WeightBytesPerToken;

    /// <summary>Measured decode rate as a share of the bound.</summary>
    public double ShareOfBound => DecodeTokensPerSecond / BoundTokensPerSecond;
}
