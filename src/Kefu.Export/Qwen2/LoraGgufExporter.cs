using System.Globalization;
using Kefu.Export.Gguf;
using Kefu.Model.Lora;
using Kefu.Model.Safetensors;
using static TorchSharp.torch;

namespace Kefu.Export.Qwen2;

/// <summary>
/// A PEFT LoRA adapter folder → a GGUF LoRA adapter, as llama.cpp's convert_lora_to_gguf.py writes it:
/// general.type "adapter", adapter.type "lora", adapter.lora.alpha, and for each wrapped module the tensors
/// blk.N.{attn_q,…}.weight.lora_a (A, [r, in] → ne [in, r]) and .lora_b (B, [out, r] → ne [r, out]).
/// llama.cpp scales the update by alpha / r with r read from the tensors, so one alpha must describe every module:
/// rsLoRA's alpha/√r is written as alpha·√r, and per-module alphas or ranks that no single alpha fits are refused.
/// </summary>
public static class LoraGgufExporter
{
    public static IReadOnlyList<GgufTensorSource> Export(string adapterDirectory, string outputPath, GgufOutputType type = GgufOutputType.F16,
        string? name = null, Action<GgufTensorSource>? onWritten = null)
    {
        if (type is not (GgufOutputType.F32 or GgufOutputType.F16 or GgufOutputType.BF16 or GgufOutputType.Q8_0))
            throw new ArgumentException($"LoRA adapters are written as f32, f16, bf16 or q8_0 (as convert_lora_to_gguf.py), not {type}.");
        var config = LoraConfig.Load(adapterDirectory);
        if (config.UseDora)
            throw new GgufFormatException($"{Path.Combine(adapterDirectory, LoraConfig.FileName)}: field use_dora: DoRA adapters have no GGUF LoRA form.");
        var weightsPath = Path.Combine(adapterDirectory, LoraAdapter.WeightsFileName);
        using var file = SafetensorsFile.Open(weightsPath);
        var modules = file.Header.Tensors.Keys
            .Select(k => k.Replace(".default.weight", ".weight", StringComparison.Ordinal))
            .Where(k => k.EndsWith(".lora_A.weight", StringComparison.Ordinal))
            .Select(k => k["base_model.model.".Length..^".lora_A.weight".Length])
            .Order(StringComparer.Ordinal)
            .ToList();
        if (modules.Count == 0)
            throw new GgufFormatException($"{weightsPath}: no lora_A tensors (base_model.model.<module>.lora_A.weight).");
        var storedName = file.Header.Tensors.Keys.ToDictionary(k => k.Replace(".default.weight", ".weight", StringComparison.Ordinal), k => k, StringComparer.Ordinal);

        double? alpha = null;
        var tensors = new List<GgufTensorSource>();
        foreach (var module in modules)
        {
            var ggufModule = Qwen2GgufNames.TryMapModule(module)
                ?? throw new GgufFormatException($"{weightsPath}: module '{module}' has no Qwen2 GGUF name (only decoder linears can carry LoRA in GGUF).");
            var a = file.Info(storedName[LoraAdapter.PeftName(module, 'A')]);
            var b = storedName.TryGetValue(LoraAdapter.PeftName(module, 'B'), out var bName) ? file.Info(bName)
                : throw new GgufFormatException($"{weightsPath}: module '{module}' has lora_A but no lora_B.");
            var rank = a.Shape[0];
            // llama.cpp applies alpha / r; PEFT applies ScalingOf(module). Equal when alpha = scaling · r.
            var moduleAlpha = config.ScalingOf(module) * rank;
            if (alpha is { } known && Math.Abs(known - moduleAlpha) > 1e-6 * Math.Max(1, Math.Abs(known)))
                throw new GgufFormatException($"{Path.Combine(adapterDirectory, LoraConfig.FileName)}: modules need different alphas ({known.ToString(CultureInfo.InvariantCulture)} and {moduleAlpha.ToString(CultureInfo.InvariantCulture)} for {module}); GGUF adapters carry one.");
            alpha = moduleAlpha;
            tensors.Add(Source(file, a.Name, ggufModule + ".weight.lora_a", type));
            tensors.Add(Source(file, b.Name, ggufModule + ".weight.lora_b", type));
        }

        var metadata = new List<KeyValuePair<string, GgufValue>>
        {
            new("general.architecture", GgufValue.Of("qwen2")),
            new("general.type", GgufValue.Of("adapter")),
            new("general.name", GgufValue.Of(name ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(adapterDirectory))))),
            new("general.file_type", GgufValue.Of(type.FileType())),
            new("adapter.type", GgufValue.Of("lora")),
            new("adapter.lora.alpha", GgufValue.Of((float)alpha!.Value)),
        };
        if (type == GgufOutputType.Q8_0)
            metadata.Add(new("general.quantization_version", GgufValue.Of(2u)));
        GgufWriter.Write(outputPath, metadata, tensors, onWritten);
        return tensors;
    }

    private static GgufTensorSource Source(SafetensorsFile file, string storedName, string ggufName, GgufOutputType type)
    {
        var info = file.Info(storedName);
        var dimensions = info.Shape.Reverse().ToArray();
        var tensorType = type.WeightType().BlockElements() > 1 && dimensions[0] % type.WeightType().BlockElements() != 0 ? GgmlType.F16 : type.WeightType();
        return new GgufTensorSource(ggufName, dimensions, tensorType, () =>
        {
            using var scope = NewDisposeScope();
            var values = file.Read(storedName).to(ScalarType.Float32).contiguous().data<float>().ToArray();
            return GgmlQuants.FromFloats(values, tensorType);
        });
    }
}
