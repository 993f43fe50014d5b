using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kefu.Model.Configuration;

/// <summary>
/// A Qwen2 <c>config.json</c> as Hugging Face transformers writes it (Qwen2Config). Defaults are transformers'
/// own, so a sparse file means what it means there. Fields this implementation does not model are kept in
/// <see cref="Extra"/> and written back unchanged.
/// </summary>
public sealed record Qwen2Config
{
    /// <summary>Name of the file in a model folder.</summary>
    public const string FileName = "config.json";

    [JsonPropertyName("architectures")] public IReadOnlyList<string>? Architectures { get; init; } = ["Qwen2ForCausalLM"];
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "qwen2";
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 151936;
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 4096;
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 22016;
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 32;
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 32;

    /// <summary>Key/value heads for grouped-query attention; transformers uses the query head count when absent.</summary>
    [JsonPropertyName("num_key_value_heads")] public int? NumKeyValueHeadsRaw { get; init; }

    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "silu";
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 32768;
    [JsonPropertyName("initializer_range")] public double InitializerRange { get; init; } = 0.02;
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-6;
    [JsonPropertyName("use_cache")] public bool UseCache { get; init; } = true;
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000.0;

    /// <summary>RoPE scaling (YaRN, dynamic NTK…): not implemented, so a non-null value is refused by <see cref="Validate"/>.</summary>
    [JsonPropertyName("rope_scaling")] public JsonElement? RopeScaling { get; init; }

    [JsonPropertyName("use_sliding_window")] public bool UseSlidingWindow { get; init; }
    [JsonPropertyName("sliding_window")] public int? SlidingWindow { get; init; } = 4096;
    [JsonPropertyName("max_window_layers")] public int? MaxWindowLayers { get; init; } = 28;
    [JsonPropertyName("attention_dropout")] public double AttentionDropout { get; init; }

    [JsonPropertyName("bos_token_id"), JsonConverter(typeof(IntListConverter))]
    public IReadOnlyList<int>? BosTokenId { get; init; }

    [JsonPropertyName("eos_token_id"), JsonConverter(typeof(IntListConverter))]
    public IReadOnlyList<int>? EosTokenId { get; init; }

    [JsonPropertyName("torch_dtype")] public string? TorchDtype { get; init; }
    [JsonPropertyName("transformers_version")] public string? TransformersVersion { get; init; }

    /// <summary>Every other field of the file, preserved so a rewritten config loses nothing.</summary>
    [JsonExtensionData] public IDictionary<string, JsonElement>? Extra { get; init; }

    /// <summary>Key/value heads, resolved as transformers does.</summary>
    [JsonIgnore] public int NumKeyValueHeads => NumKeyValueHeadsRaw ?? NumAttentionHeads;

    /// <summary>Per-head width: hidden_size / num_attention_heads (Qwen2 has no separate head_dim).</summary>
    [JsonIgnore] public int HeadDim => HiddenSize / NumAttentionHeads;

    /// <summary>Reads and validates <c>config.json</c>; <paramref name="path"/> may name the file or its folder.</summary>
    public static Qwen2Config Load(string path, Action<string>? warn = null)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        var config = ConfigJson.Read<Qwen2Config>(file);
        foreach (var warning in config.Validate(file))
            warn?.Invoke(warning);
        return config;
    }

    /// <summary>Parses config JSON text; <paramref name="source"/> names it in errors.</summary>
    public static Qwen2Config Parse(string json, string source = FileName)
    {
        var config = ConfigJson.Parse<Qwen2Config>(json, source);
        config.Validate(source);
        return config;
    }

    /// <summary>Writes <c>config.json</c> into <paramref name="directory"/> atomically.</summary>
    public void Save(string directory) => ConfigJson.WriteAtomically(Path.Combine(directory, FileName), this);

    /// <summary>
    /// Throws <see cref="ModelConfigException"/> for shapes that cannot work and options this implementation would
    /// otherwise silently ignore; returns warnings for fields that are accepted but worth knowing about.
    /// </summary>
    public IReadOnlyList<string> Validate(string source = FileName)
    {
        void Require(bool condition, string field, string problem)
        {
            if (!condition)
                throw new ModelConfigException($"{source}: field {field}: {problem}");
        }

        Require(VocabSize > 0, "vocab_size", $"must be positive, got {VocabSize}.");
        Require(HiddenSize > 0, "hidden_size", $"must be positive, got {HiddenSize}.");
        Require(IntermediateSize > 0, "intermediate_size", $"must be positive, got {IntermediateSize}.");
        Require(NumHiddenLayers > 0, "num_hidden_layers", $"must be positive, got {NumHiddenLayers}.");
        Require(NumAttentionHeads > 0, "num_attention_heads", $"must be positive, got {NumAttentionHeads}.");
        Require(NumKeyValueHeads > 0, "num_key_value_heads", $"must be positive, got {NumKeyValueHeads}.");
        Require(HiddenSize % NumAttentionHeads == 0, "num_attention_heads",
            $"hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}.");
        Require(NumAttentionHeads % NumKeyValueHeads == 0, "num_key_value_heads",
            $"num_attention_heads {NumAttentionHeads} is not a multiple of num_key_value_heads {NumKeyValueHeads}.");
        Require(HeadDim % 2 == 0, "num_attention_heads", $"rotary embeddings need an even head size, got {HeadDim}.");
        Require(RmsNormEps > 0, "rms_norm_eps", $"must be positive, got {RmsNormEps}.");
        Require(RopeTheta > 0, "rope_theta", $"must be positive, got {RopeTheta}.");
        Require(MaxPositionEmbeddings > 0, "max_position_embeddings", $"must be positive, got {MaxPositionEmbeddings}.");
        Require(HiddenAct == "silu", "hidden_act", $"only \"silu\" (SwiGLU, as every Qwen2 uses) is implemented, got \"{HiddenAct}\".");
        Require(!UseSlidingWindow, "use_sliding_window",
            "sliding-window attention is not implemented; Qwen2 checkpoints ship it switched off (use_sliding_window: false). Refusing rather than computing different attention.");
        Require(RopeScaling is null || RopeScaling.Value.ValueKind == JsonValueKind.Null, "rope_scaling",
            $"RoPE scaling ({RopeScaling?.GetRawText()}) is not implemented; remove it to run at the native context length ({MaxPositionEmbeddings}).");

        // Newer transformers may write head_dim; Qwen2 derives it, so a different value would mean another architecture.
        if (Extra is not null && Extra.TryGetValue("head_dim", out var headDim) && headDim.ValueKind == JsonValueKind.Number)
            Require(headDim.TryGetInt32(out var value) && value == HeadDim, "head_dim",
                $"{headDim.GetRawText()} differs from hidden_size / num_attention_heads = {HeadDim}; Qwen2 has no separate head size.");

        var warnings = new List<string>();
        if (ModelType != "qwen2")
            warnings.Add($"{source}: field model_type is \"{ModelType}\", not \"qwen2\"; loading it as Qwen2.");
        if (AttentionDropout != 0)
            warnings.Add($"{source}: field attention_dropout is {AttentionDropout}; dropout is not applied (inference and LoRA training run without it).");
        return warnings;
    }
}
