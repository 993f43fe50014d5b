using Kefu.Model.Configuration;
using Kefu.Model.Modules;
using Kefu.Model.Safetensors;
using static TorchSharp.torch;

namespace Kefu.Model.Quantization;

/// <summary>
/// Loads a GPTQ model folder (AutoGPTQ/GPTQModel layout: {module}.qweight/qzeros/scales/g_idx[/bias] for each
/// quantized linear, everything else as float tensors) into a <see cref="Qwen2ForCausalLM"/> whose quantized linears
/// are <see cref="GptqLinear"/> layers, put in place through the model's replaceable-linear hook.
/// </summary>
public static class GptqModelLoader
{
    /// <summary>The tensor suffixes of one quantized linear layer.</summary>
    public static IReadOnlyList<string> QuantizedSuffixes { get; } = [".qweight", ".qzeros", ".scales", ".g_idx"];

    public static Qwen2ForCausalLM Load(string directory, Qwen2Config config, GptqQuantizeConfig quantization, ScalarType dtype, Device? device,
        Action<string, int, int>? onLoaded = null)
    {
        using var checkpoint = SafetensorsCheckpoint.Open(directory);
        var modules = checkpoint.TensorNames.Where(n => n.EndsWith(".qweight", StringComparison.Ordinal))
            .Select(n => n[..^".qweight".Length]).Order(StringComparer.Ordinal).ToList();
        if (modules.Count == 0)
            throw new SafetensorsFormatException($"{directory}: config says GPTQ, but the checkpoint has no *.qweight tensors.");
        var model = new Qwen2ForCausalLM(config, dtype, device);
        try
        {
            var layers = new List<(string Name, GptqLinear Layer)>();
            foreach (var module in modules)
                layers.Add((module, Replace(model, checkpoint, module, quantization, dtype, model.Device, directory)));

            var quantizedTensors = modules.SelectMany(m => QuantizedSuffixes.Append(".bias").Select(s => m + s)).ToHashSet(StringComparer.Ordinal);
            checkpoint.LoadInto(model.NamedWeights(),
                name => quantizedTensors.Contains(name) || (config.TieWordEmbeddings && name == "lm_head.weight"), onLoaded);
            foreach (var (name, layer) in layers)
            {
                checkpoint.CopyInto(name + ".qweight", layer.qweight);
                checkpoint.CopyInto(name + ".qzeros", layer.qzeros);
                checkpoint.CopyInto(name + ".scales", layer.scales);
                if (checkpoint.TensorNames.Contains(name + ".g_idx"))
                    checkpoint.CopyInto(name + ".g_idx", layer.g_idx);
                else
                    FillSequentialGroups(layer, quantization.GroupSize);
                if (layer.bias is not null)
                    checkpoint.CopyInto(name + ".bias", layer.bias);
                CheckGroupIndex(layer, name, directory);
            }
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return model;
    }

    private static GptqLinear Replace(Qwen2ForCausalLM model, SafetensorsCheckpoint checkpoint, string module, GptqQuantizeConfig quantization,
        ScalarType dtype, Device device, string directory)
    {
        var qweight = checkpoint.Info(module + ".qweight");
        var scales = checkpoint.Info(module + ".scales");
        var qzeros = checkpoint.Info(module + ".qzeros");
        if (qweight.DType != SafetensorsDType.I32 || qzeros.DType != SafetensorsDType.I32 || qweight.Shape.Count != 2 || scales.Shape.Count != 2)
            throw new SafetensorsFormatException($"{directory}: {module}: qweight and qzeros must be 2-D I32 (got {qweight.DType} {qweight.ShapeText}, {qzeros.DType} {qzeros.ShapeText}).");
        var inFeatures = qweight.Shape[0] * GptqPacking.CodesPerInt;
        var outFeatures = qweight.Shape[1];
        var groups = scales.Shape[0];
        if (scales.Shape[1] != outFeatures || qzeros.Shape[0] != groups || qzeros.Shape[1] * GptqPacking.CodesPerInt != outFeatures)
            throw new SafetensorsFormatException($"{directory}: {module}: scales {scales.ShapeText} and qzeros {qzeros.ShapeText} do not fit qweight {qweight.ShapeText}.");
        var hasBias = checkpoint.TensorNames.Contains(module + ".bias");
        GptqLinear? layer = null;
        try
        {
            model.ReplaceLinear(module, current =>
            {
                if (current is DenseLinear dense && (dense.InFeatures != inFeatures || dense.OutFeatures != outFeatures))
                    throw new SafetensorsFormatException($"{directory}: {module}: qweight {qweight.ShapeText} holds a [{outFeatures}, {inFeatures}] weight, the model expects [{dense.OutFeatures}, {dense.InFeatures}].");
                layer = new GptqLinear(inFeatures, outFeatures, groups, hasBias, dtype, device, quantization.ZeroOffset);
                current.Dispose();
                return layer;
            });
        }
        catch (ArgumentException e)
        {
            throw new SafetensorsFormatException($"{directory}: quantized tensor {module}.qweight names no replaceable linear layer of a Qwen2 model ({e.Message}).");
        }
        return layer!;
    }

    private static void FillSequentialGroups(GptqLinear layer, int groupSize)
    {
        using var noGrad = no_grad();
        var size = groupSize <= 0 ? layer.InFeatures : groupSize;
        using var index = arange(0, layer.InFeatures, 1, ScalarType.Int32, layer.g_idx.device).div(size, rounding_mode: RoundingMode.floor);
        layer.g_idx.copy_(index);
    }

    private static void CheckGroupIndex(GptqLinear layer, string module, string directory)
    {
        var groups = layer.scales.shape[0];
        var min = layer.g_idx.min().item<int>();
        var max = layer.g_idx.max().item<int>();
        if (min < 0 || max >= groups)
            throw new SafetensorsFormatException($"{directory}: {module}.g_idx: group indices must lie in [0, {groups - 1}], found [{min}, {max}].");
    }
}
