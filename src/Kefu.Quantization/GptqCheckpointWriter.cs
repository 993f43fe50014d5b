using System.Text.Json;
using Kefu.Model.Modules;
using Kefu.Model.Quantization;
using Kefu.Model.Runtime;
using Kefu.Model.Safetensors;

namespace Kefu.Quantization;

/// <summary>
/// Writes a quantized model folder in the AutoGPTQ/GPTQModel "gptq" (v1) checkpoint layout that transformers
/// (GPTQConfig), vLLM and GPTQModel load: for each quantized linear {module}.qweight int32 [in/8, out],
/// {module}.qzeros int32 [groups, out/8] (zero − 1), {module}.scales fp16 [groups, out], {module}.g_idx int32 [in]
/// and the bias in fp16; every other tensor in fp16 (torch_dtype float16, as GPTQ checkpoints ship);
/// quantize_config.json, and config.json carrying the same settings as quantization_config.
/// </summary>
public static class GptqCheckpointWriter
{
    /// <summary>Writes into a hidden sibling folder and renames it to <paramref name="outputDirectory"/> when complete.</summary>
    public static void Write(Qwen2ForCausalLM model, IReadOnlyDictionary<string, QuantizedWeight> quantized, QuantizationScheme scheme,
        string outputDirectory, string? sourceDirectory = null, long maxShardBytes = SafetensorsCheckpointWriter.DefaultMaxShardBytes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(quantized);
        ArgumentNullException.ThrowIfNull(scheme);
        var output = ModelFolderWriter.RequireEmptyOutput(outputDirectory);
        var quantizeConfig = scheme.ToQuantizeConfig(sourceDirectory is null ? null : Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(sourceDirectory))));
        var entries = Entries(model, quantized, quantizeConfig.ZeroOffset);

        ModelFolderWriter.WriteThenRename(output, temp =>
        {
            SafetensorsCheckpointWriter.Write(temp, entries, maxShardBytes);
            var extra = new Dictionary<string, JsonElement>(model.Config.Extra ?? new Dictionary<string, JsonElement>(), StringComparer.Ordinal)
            {
                [GptqQuantizeConfig.ConfigJsonField] = quantizeConfig.ToJsonElement(),
            };
            (model.Config with { TorchDtype = "float16", Extra = extra }).Save(temp);
            quantizeConfig.Save(temp);
            if (sourceDirectory is not null)
                ModelFolderWriter.CopyCompanionFiles(sourceDirectory, temp);
        });
    }

    /// <summary>The checkpoint's tensors in model order: float ones as fp16, quantized linears packed.</summary>
    public static IReadOnlyList<SafetensorsEntry> Entries(Qwen2ForCausalLM model, IReadOnlyDictionary<string, QuantizedWeight> quantized, int zeroOffset = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(quantized);
        var entries = new List<SafetensorsEntry>();
        foreach (var (name, tensor) in model.NamedWeights())
        {
            var module = name.EndsWith(".weight", StringComparison.Ordinal) ? name[..^".weight".Length]
                : name.EndsWith(".bias", StringComparison.Ordinal) ? name[..^".bias".Length] : null;
            if (module is null || !quantized.TryGetValue(module, out var weight))
            {
                entries.Add(SafetensorsEntry.FromTensor(name, tensor, SafetensorsDType.F16));
                continue;
            }
            if (name.EndsWith(".bias", StringComparison.Ordinal))
            {
                entries.Add(SafetensorsEntry.FromTensor(name, tensor, SafetensorsDType.F16));
                continue;
            }
            var inFeatures = weight.InFeatures;
            var outFeatures = weight.OutFeatures;
            var groups = weight.Groups;
            entries.Add(new SafetensorsEntry(module + ".qweight", SafetensorsDType.I32, [inFeatures / GptqPacking.CodesPerInt, outFeatures],
                () => GptqPacking.PackWeight(weight.Codes)));
            entries.Add(new SafetensorsEntry(module + ".qzeros", SafetensorsDType.I32, [groups, outFeatures / GptqPacking.CodesPerInt],
                () => GptqPacking.PackZeros(weight.Zeros.t(), zeroOffset)));
            entries.Add(new SafetensorsEntry(module + ".scales", SafetensorsDType.F16, [groups, outFeatures], () => weight.Scales.t()));
            entries.Add(new SafetensorsEntry(module + ".g_idx", SafetensorsDType.I32, [inFeatures], () => weight.GroupIndex));
        }
        var missing = quantized.Keys.Where(k => !entries.Any(e => e.Name == k + ".qweight")).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"Quantized layers not in the model: {string.Join(", ", missing)}.", nameof(quantized));
        return entries;
    }
}
