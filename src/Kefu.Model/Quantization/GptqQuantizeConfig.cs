using System.Text.Json;
using System.Text.Json.Serialization;
using Kefu.Model.Configuration;

namespace Kefu.Model.Quantization;

/// <summary>
/// AutoGPTQ/GPTQModel's <c>quantize_config.json</c>, also embedded in config.json as <c>quantization_config</c>
/// (what transformers' GPTQConfig and vLLM read). Fields of other versions are kept in <see cref="Extra"/>.
/// </summary>
public sealed record GptqQuantizeConfig
{
    /// <summary>Name of the file in a model folder.</summary>
    public const string FileName = "quantize_config.json";

    /// <summary>The config.json field that carries the same settings.</summary>
    public const string ConfigJsonField = "quantization_config";

    [JsonPropertyName("bits")] public int Bits { get; init; } = 4;
    [JsonPropertyName("group_size")] public int GroupSize { get; init; } = 128;
    [JsonPropertyName("damp_percent")] public double DampPercent { get; init; } = 0.01;

    /// <summary>Act-order: columns quantized in order of decreasing Hessian diagonal; g_idx maps columns to groups.</summary>
    [JsonPropertyName("desc_act")] public bool DescAct { get; init; }

    [JsonPropertyName("static_groups")] public bool StaticGroups { get; init; }
    [JsonPropertyName("sym")] public bool Sym { get; init; } = true;
    [JsonPropertyName("true_sequential")] public bool TrueSequential { get; init; } = true;
    [JsonPropertyName("quant_method")] public string QuantMethod { get; init; } = "gptq";

    /// <summary>"gptq" (v1: zero points stored minus one) or "gptq_v2".</summary>
    [JsonPropertyName("checkpoint_format")] public string CheckpointFormat { get; init; } = "gptq";

    [JsonPropertyName("model_name_or_path")] public string? ModelNameOrPath { get; init; }
    [JsonPropertyName("model_file_base_name")] public string? ModelFileBaseName { get; init; }

    [JsonExtensionData] public IDictionary<string, JsonElement>? Extra { get; init; }

    /// <summary>What is subtracted from zero points when packing (1 for v1, 0 for v2).</summary>
    [JsonIgnore] public int ZeroOffset => CheckpointFormat == "gptq_v2" ? 0 : 1;

    /// <summary>
    /// The quantization settings of a model folder: config.json's quantization_config when it names gptq, else
    /// quantize_config.json; null when the folder holds an unquantized model.
    /// </summary>
    public static GptqQuantizeConfig? TryLoad(string directory, Qwen2Config? config = null)
    {
        config ??= Qwen2Config.Load(directory);
        if (config.Extra is not null && config.Extra.TryGetValue(ConfigJsonField, out var embedded) && embedded.ValueKind == JsonValueKind.Object)
        {
            var source = Path.Combine(directory, Qwen2Config.FileName) + " field " + ConfigJsonField;
            var parsed = ConfigJson.Parse<GptqQuantizeConfig>(embedded.GetRawText(), source);
            if (parsed.QuantMethod != "gptq")
                throw new ModelConfigException($"{source}: quant_method \"{parsed.QuantMethod}\" is not supported; Kefu loads GPTQ checkpoints (quant_method \"gptq\").");
            return parsed.Validated(source);
        }
        var file = Path.Combine(directory, FileName);
        return File.Exists(file) ? ConfigJson.Read<GptqQuantizeConfig>(file).Validated(file) : null;
    }

    /// <summary>Writes quantize_config.json atomically.</summary>
    public void Save(string directory) => ConfigJson.WriteAtomically(Path.Combine(directory, FileName), this);

    /// <summary>This config as a JSON element, for config.json's quantization_config.</summary>
    public JsonElement ToJsonElement() => JsonSerializer.SerializeToElement(this, ConfigJson.Options);

    /// <summary>Throws <see cref="ModelConfigException"/> for settings this implementation cannot load.</summary>
    public GptqQuantizeConfig Validated(string source = FileName)
    {
        if (Bits != 4)
            throw new ModelConfigException($"{source}: field bits: only 4-bit GPTQ is implemented, got {Bits}.");
        if (GroupSize is not -1 and < 8)
            throw new ModelConfigException($"{source}: field group_size: must be -1 (one group per column) or at least 8, got {GroupSize}.");
        if (DampPercent is <= 0 or >= 1)
            throw new ModelConfigException($"{source}: field damp_percent: must be in (0, 1), got {DampPercent}.");
        if (CheckpointFormat is not ("gptq" or "gptq_v2"))
            throw new ModelConfigException($"{source}: field checkpoint_format: \"{CheckpointFormat}\" is not supported (gptq or gptq_v2).");
        return this;
    }
}
