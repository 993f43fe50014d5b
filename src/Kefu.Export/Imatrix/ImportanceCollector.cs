using Kefu.Export.Qwen2;
using Kefu.Model.Modules;
using Kefu.Model.Runtime;
using Kefu.Quantization;
using Kefu.Training.Data;
using static TorchSharp.torch;

namespace Kefu.Export.Imatrix;

/// <summary>
/// Computes an <see cref="ImportanceMatrix"/> the way llama-imatrix does: run the float model over calibration
/// sequences and record, for every matrix multiplication inside the transformer blocks (attn_q/k/v/output,
/// ffn_gate/up/down), the mean squared input per column. As llama-imatrix without --process-output, the output head
/// (and token_embd, which is a lookup, not a product) get no entry and are quantized plainly.
/// </summary>
public static class ImportanceCollector
{
    /// <summary>
    /// Loads <paramref name="modelDirectory"/> in float32, takes <paramref name="samples"/> seeded random sequences of
    /// the training split of the <c>kefu data build</c> folder <paramref name="dataDirectory"/> (each cut to
    /// <paramref name="maxLength"/> tokens, as <c>kefu quantize</c> picks GPTQ calibration) and collects.
    /// </summary>
    public static ImportanceMatrix CollectFromData(string modelDirectory, string dataDirectory, int samples, int maxLength = 512, long seed = 0,
        Action<string>? progress = null)
    {
        using var model = ModelFolder.Load(modelDirectory, ScalarType.Float32);
        var dataset = SftDataset.Open(dataDirectory, model.Config, modelDirectory);
        var calibration = CalibrationSet.FromTraining(dataset.Train, samples, maxLength, seed);
        progress?.Invoke($"imatrix: {calibration.Count} calibration sequences, {calibration.Sum(c => c.Length)} tokens");
        return Collect(model, calibration, Path.GetFullPath(dataDirectory));
    }

    /// <summary>Runs <paramref name="calibration"/> (token id sequences) through <paramref name="model"/> and returns the mean squares.</summary>
    public static ImportanceMatrix Collect(Qwen2ForCausalLM model, IReadOnlyList<int[]> calibration, string dataset)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(calibration);
        if (calibration.Count == 0)
            throw new ArgumentException("The importance matrix needs at least one calibration sequence.", nameof(calibration));
        var captures = new Dictionary<string, ImportanceCapture>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, module) in model.NamedLinears())
            {
                if (name == "lm_head")
                    continue;
                if (module is not DenseLinear dense)
                    throw new InvalidOperationException($"{name} is a {module.GetType().Name}; collect an importance matrix on a plain float model (merge LoRA adapters first).");
                model.ReplaceLinear(name, inner =>
                {
                    var capture = new ImportanceCapture(inner, dense.InFeatures);
                    captures[name] = capture;
                    return capture;
                });
            }
            using var noGrad = no_grad();
            foreach (var ids in calibration)
            {
                using var scope = NewDisposeScope();
                var input = tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Length], ScalarType.Int64, model.Device);
                // Only the blocks' products matter; projecting one position keeps the vocabulary-sized head cheap.
                model.forward(input, lastTokenOnly: true);
            }
            var entries = captures.ToDictionary(
                c => Qwen2GgufNames.TryMap(c.Key + ".weight") ?? throw new InvalidOperationException($"{c.Key} has no GGUF name."),
                c => c.Value.MeanSquares(),
                StringComparer.Ordinal);
            return new ImportanceMatrix(entries, dataset, calibration.Count, calibration.Sum(c => (long)c.Length));
        }
        finally
        {
            foreach (var (name, capture) in captures)
            {
                model.ReplaceLinear(name, _ => capture.Inner);
                capture.Dispose();
            }
        }
    }
}
