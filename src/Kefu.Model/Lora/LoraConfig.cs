using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Kefu.Model.Lora;

/// <summary>
/// A LoRA adapter's settings, read and written as HF PEFT's <c>adapter_config.json</c> (peft_type LORA), so PEFT,
/// vLLM and LLaMA-Factory load what we train and we load what they train. Defaults are the seed article's recipe:
/// r 16, alpha 32, dropout 0.1 on q_proj, k_proj, v_proj.
/// </summary>
public sealed record LoraConfig
{
    /// <summary>Name of the file in an adapter folder.</summary>
    public const string FileName = "adapter_config.json";

    /// <summary>PEFT's shorthand for "every linear layer except the output head".</summary>
    public const string AllLinear = "all-linear";

    [JsonPropertyName("peft_type")] public string PeftType { get; init; } = "LORA";
    [JsonPropertyName("task_type")] public string TaskType { get; init; } = "CAUSAL_LM";
    [JsonPropertyName("r")] public int Rank { get; init; } = 16;
    [JsonPropertyName("lora_alpha")] public double Alpha { get; init; } = 32;
    [JsonPropertyName("lora_dropout")] public double Dropout { get; init; } = 0.1;

    /// <summary>Module names (matched as the last name parts: "q_proj" matches model.layers.3.self_attn.q_proj) or "all-linear".</summary>
    [JsonPropertyName("target_modules"), JsonConverter(typeof(TargetModulesConverter))]
    public IReadOnlyList<string> TargetModules { get; init; } = ["q_proj", "k_proj", "v_proj"];

    [JsonPropertyName("bias")] public string Bias { get; init; } = "none";

    /// <summary>rsLoRA: scale by alpha/√r instead of alpha/r, so larger ranks keep learning (Kalajdzievski 2023).</summary>
    [JsonPropertyName("use_rslora")] public bool UseRsLora { get; init; }

    /// <summary>Per-module ranks, PEFT style: key k applies to a module whose name matches <c>(.*\.)?k$</c>.</summary>
    [JsonPropertyName("rank_pattern")] public IReadOnlyDictionary<string, int> RankPattern { get; init; } = new Dictionary<string, int>();

    /// <summary>Per-module alphas, matched like <see cref="RankPattern"/>.</summary>
    [JsonPropertyName("alpha_pattern")] public IReadOnlyDictionary<string, double> AlphaPattern { get; init; } = new Dictionary<string, double>();

    [JsonPropertyName("fan_in_fan_out")] public bool FanInFanOut { get; init; }
    [JsonPropertyName("inference_mode")] public bool InferenceMode { get; init; } = true;
    [JsonPropertyName("base_model_name_or_path")] public string? BaseModelNameOrPath { get; init; }
    [JsonPropertyName("modules_to_save")] public IReadOnlyList<string>? ModulesToSave { get; init; }
    [JsonPropertyName("use_dora")] public bool UseDora { get; init; }
    [JsonPropertyName("layers_to_transform")] public JsonElement? LayersToTransform { get; init; }

    /// <summary>Fields of other PEFT versions, kept so a rewritten file loses nothing.</summary>
    [JsonExtensionData] public IDictionary<string, JsonElement>? Extra { get; init; }

    /// <summary>The rank of the module <paramref name="fullName"/> (rank_pattern first, then r).</summary>
    public int RankOf(string fullName) => Match(RankPattern, fullName) ?? Rank;

    /// <summary>The multiplier of B·A for the module <paramref name="fullName"/>: alpha/r, or alpha/√r with rsLoRA.</summary>
    public double ScalingOf(string fullName)
    {
        var rank = RankOf(fullName);
        var alpha = Match(AlphaPattern, fullName) ?? Alpha;
        return UseRsLora ? alpha / Math.Sqrt(rank) : alpha / rank;
    }

    /// <summary>Refuses what this implementation would otherwise get wrong; <paramref name="source"/> names the file.</summary>
    public void Validate(string source = FileName)
    {
        void Require(bool condition, string field, string problem)
        {
            if (!condition)
                throw new LoraFormatException($"{source}: field {field}: {problem}");
        }

        Require(PeftType == "LORA", "peft_type", $"only LORA adapters are supported, got \"{PeftType}\".");
        Require(Rank > 0, "r", $"must be positive, got {Rank}.");
        Require(Alpha > 0, "lora_alpha", $"must be positive, got {Alpha}.");
        Require(Dropout is >= 0 and < 1, "lora_dropout", $"must be in [0, 1), got {Dropout}.");
        Require(TargetModules.Count > 0, "target_modules", "names no module.");
        Require(Bias == "none", "bias", $"only \"none\" is supported (LoRA without trained biases), got \"{Bias}\".");
        Require(!FanInFanOut, "fan_in_fan_out", "is for GPT-2 style Conv1D weights; Qwen2 uses Linear.");
        Require(!UseDora, "use_dora", "DoRA adapters are not supported.");
        Require(ModulesToSave is null || ModulesToSave.Count == 0, "modules_to_save", "fully trained extra modules are not supported.");
        Require(LayersToTransform is null || LayersToTransform.Value.ValueKind == JsonValueKind.Null, "layers_to_transform", "layer subsets are not supported; use target_modules.");
        foreach (var (key, rank) in RankPattern)
            Require(rank > 0, "rank_pattern", $"rank for '{key}' must be positive, got {rank}.");
    }

    /// <summary>Reads and validates <c>adapter_config.json</c>; <paramref name="path"/> may name the file or its folder.</summary>
    public static LoraConfig Load(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        if (!File.Exists(file))
            throw new LoraFormatException($"{file}: file not found (an adapter folder holds adapter_config.json and adapter_model.safetensors).");
        LoraConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<LoraConfig>(File.ReadAllText(file), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new LoraFormatException($"{file}: line {e.LineNumber + 1}: {e.Message}", e);
        }
        if (config is null)
            throw new LoraFormatException($"{file}: expected a JSON object.");
        config.Validate(file);
        return config;
    }

    /// <summary>Writes <c>adapter_config.json</c> into <paramref name="directory"/> atomically.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var temp = Path.Combine(directory, "." + FileName + ".tmp-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(temp, JsonSerializer.Serialize(this, JsonOptions) + "\n");
        File.Move(temp, path, overwrite: true);
    }

    internal static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // PEFT: re.match(rf"(.*\.)?{key}$", name); the first matching key wins, as in PEFT's get_pattern_key.
    private static T? Match<T>(IReadOnlyDictionary<string, T> patterns, string fullName) where T : struct
    {
        foreach (var (key, value) in patterns)
        {
            if (Regex.IsMatch(fullName, $"^(.*\\.)?{key}$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
                return value;
        }
        return null;
    }
}
