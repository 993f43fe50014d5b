using static TorchSharp.torch;

namespace Kefu.Quantization;

/// <summary>Everything <c>kefu quantize</c> needs: where from and to, how, and what to measure.</summary>
public sealed record QuantizationRunOptions
{
    public required string ModelDirectory { get; init; }

    /// <summary>A <c>kefu data build</c> folder: calibration comes from train.jsonl, perplexity from eval.jsonl.</summary>
    public required string DataDirectory { get; init; }

    public required string OutputDirectory { get; init; }

    public QuantizationMethod Method { get; init; } = QuantizationMethod.Gptq;

    public QuantizationScheme Scheme { get; init; } = new();

    public int CalibrationSamples { get; init; } = 128;

    public int CalibrationMaxLength { get; init; } = 512;

    public long Seed { get; init; }

    /// <summary>Also compare bf16, GPTQ and RTN (weights, peak memory, perplexity, decode speed).</summary>
    public bool Report { get; init; }

    /// <summary>The type every variant computes in for the report (int4 layers dequantise into it).</summary>
    public ScalarType ReportComputeType { get; init; } = ScalarType.BFloat16;

    public int EvalExamples { get; init; } = 64;

    public int EvalMaxLength { get; init; } = 1024;

    public int DecodeTokens { get; init; } = 32;
}
