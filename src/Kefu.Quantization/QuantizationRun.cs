using System.Diagnostics;
using Kefu.Model.Configuration;
using Kefu.Model.Generation;
using Kefu.Model.Modules;
using Kefu.Model.Quantization;
using Kefu.Model.Runtime;
using Kefu.Quantization.Reporting;
using Kefu.Training.Data;
using static TorchSharp.torch;

namespace Kefu.Quantization;

/// <summary>
/// <c>kefu quantize</c>: load the model in float32, take calibration samples from the training split, quantize
/// (GPTQ or RTN), write the GPTQ checkpoint folder; with a report, load bf16, the written int4 folder and an RTN
/// int4 folder one after another through the normal model loader and measure each the same way.
/// </summary>
public static class QuantizationRun
{
    public static QuantizationReport? Run(QuantizationRunOptions options, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var scheme = options.Scheme.Validated();
        var config = Qwen2Config.Load(options.ModelDirectory);
        if (GptqQuantizeConfig.TryLoad(options.ModelDirectory, config) is not null)
            throw new ArgumentException($"{options.ModelDirectory}: already a GPTQ checkpoint; quantize the float model.");
        var dataset = SftDataset.Open(options.DataDirectory, config, options.ModelDirectory);
        var calibration = CalibrationSet.FromTraining(dataset.Train, options.CalibrationSamples, options.CalibrationMaxLength, options.Seed);
        progress?.Invoke($"{calibration.Count} calibration samples, {calibration.Sum(c => c.Length)} tokens");

        var watch = Stopwatch.StartNew();
        WriteQuantized(options.ModelDirectory, options.OutputDirectory, options.Method, scheme, calibration, progress);
        var quantizeTime = watch.Elapsed;
        progress?.Invoke($"wrote {options.OutputDirectory} in {quantizeTime.TotalSeconds:0.0} s");
        if (!options.Report)
            return null;

        var eval = (dataset.Eval.Count > 0 ? dataset.Eval : dataset.Train).Take(options.EvalExamples).ToList();
        var variants = new List<VariantMeasurement>
        {
            Measure(options.ReportComputeType == ScalarType.BFloat16 ? "bf16" : options.ReportComputeType.ToString(), options.ModelDirectory, options, eval, progress),
            Measure(options.Method == QuantizationMethod.Gptq ? "GPTQ int4" : "RTN int4", options.OutputDirectory, options, eval, progress),
        };
        var other = options.Method == QuantizationMethod.Gptq ? QuantizationMethod.Rtn : QuantizationMethod.Gptq;
        var parent = Path.GetDirectoryName(Path.GetFullPath(options.OutputDirectory))!;
        var otherFolder = Path.Combine(parent, "." + Path.GetFileName(Path.GetFullPath(options.OutputDirectory)) + "." + other.ToString().ToLowerInvariant() + "-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            WriteQuantized(options.ModelDirectory, otherFolder, other, scheme, calibration, progress);
            var measured = Measure(other == QuantizationMethod.Gptq ? "GPTQ int4" : "RTN int4", otherFolder, options, eval, progress);
            variants.Insert(other == QuantizationMethod.Gptq ? 1 : 2, measured);
        }
        finally
        {
            if (Directory.Exists(otherFolder))
                Directory.Delete(otherFolder, recursive: true);
        }

        var report = new QuantizationReport
        {
            Model = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.ModelDirectory))),
            ComputeType = options.ReportComputeType.ToString(),
            Scheme = scheme,
            CalibrationSamples = calibration.Count,
            EvalExamples = eval.Count,
            GptqTime = quantizeTime,
            PeakPerVariant = PeakMemory.CanReset,
            Threads = get_num_threads(),
            Variants = variants,
        };
        report.Save(options.OutputDirectory);
        return report;
    }

    private static void WriteQuantized(string modelDirectory, string output, QuantizationMethod method, QuantizationScheme scheme,
        IReadOnlyList<int[]> calibration, Action<string>? progress)
    {
        using var model = ModelFolder.Load(modelDirectory, ScalarType.Float32);
        var quantized = ModelQuantizer.Quantize(model, method, scheme, calibration, progress);
        try
        {
            GptqCheckpointWriter.Write(model, quantized, scheme, output, modelDirectory);
        }
        finally
        {
            foreach (var weight in quantized.Values)
                weight.Dispose();
        }
    }

    private static VariantMeasurement Measure(string name, string directory, QuantizationRunOptions options, IReadOnlyList<SftExample> eval, Action<string>? progress)
    {
        progress?.Invoke($"measuring {name}");
        PeakMemory.Reset();
        using var model = ModelFolder.Load(directory, options.ReportComputeType);
        var afterLoad = PeakMemory.CurrentBytes();
        var decode = DecodeTokensPerSecond(model, eval[0].InputIds.Take(32).ToArray(), options.DecodeTokens);
        var peak = PeakMemory.PeakBytes();
        var perplexity = Perplexity.Evaluate(model, eval, options.EvalMaxLength);
        return new VariantMeasurement
        {
            Name = name,
            WeightBytes = WeightBytes(model),
            LinearWeightBytes = LinearWeightBytes(model),
            ResidentAfterLoadBytes = afterLoad,
            PeakResidentBytes = peak,
            Perplexity = perplexity,
            DecodeTokensPerSecond = decode,
        };
    }

    /// <summary>Every parameter and buffer the model holds, tied tensors once.</summary>
    public static long WeightBytes(Qwen2ForCausalLM model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var parameters = model.named_parameters().Sum(p => p.parameter.NumberOfElements * p.parameter.ElementSize);
        var buffers = model.named_buffers().Sum(b => b.buffer.NumberOfElements * b.buffer.ElementSize);
        return parameters + buffers;
    }

    /// <summary>Bytes of the decoder linears (dense or int4).</summary>
    public static long LinearWeightBytes(Qwen2ForCausalLM model)
    {
        ArgumentNullException.ThrowIfNull(model);
        long total = 0;
        foreach (var (name, linear) in model.NamedLinears())
        {
            total += name == "lm_head" ? 0 : linear switch
            {
                GptqLinear gptq => gptq.StoredBytes,
                DenseLinear dense => dense.weight.NumberOfElements * dense.weight.ElementSize
                    + (dense.bias is { } b ? b.NumberOfElements * b.ElementSize : 0),
                _ => 0,
            };
        }
        return total;
    }

    /// <summary>Greedy decode rate: (N+1-token run − 1-token run) / N, so prefill and the first token are left out.</summary>
    public static double DecodeTokensPerSecond(Qwen2ForCausalLM model, int[] prompt, int tokens)
    {
        var generator = new Qwen2Generator(model);
        var options = new GenerationOptions { MaxNewTokens = 2, StopTokenIds = [] };
        generator.Generate(prompt, options);
        var watch = Stopwatch.StartNew();
        generator.Generate(prompt, options with { MaxNewTokens = 1 });
        var single = watch.Elapsed;
        watch.Restart();
        generator.Generate(prompt, options with { MaxNewTokens = tokens + 1 });
        var full = watch.Elapsed;
        return tokens / Math.Max(1e-9, (full - single).TotalSeconds);
    }
}
