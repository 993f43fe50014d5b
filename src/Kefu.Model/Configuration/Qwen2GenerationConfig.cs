using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kefu.Model.Configuration;

/// <summary>
/// A model folder's <c>generation_config.json</c>: the sampling defaults its authors recommend. Qwen2-Instruct ships
/// eos [151645, 151643], temperature 0.7, top_p 0.8, top_k 20, repetition_penalty 1.05.
/// </summary>
public sealed record Qwen2GenerationConfig
{
    public const string FileName = "generation_config.json";

    [JsonPropertyName("bos_token_id"), JsonConverter(typeof(IntListConverter))] public IReadOnlyList<int>? BosTokenId { get; init; }
    [JsonPropertyName("pad_token_id"), JsonConverter(typeof(IntListConverter))] public IReadOnlyList<int>? PadTokenId { get; init; }
    [JsonPropertyName("eos_token_id"), JsonConverter(typeof(IntListConverter))] public IReadOnlyList<int>? EosTokenId { get; init; }
    [JsonPropertyName("do_sample")] public bool? DoSample { get; init; }
    [JsonPropertyName("temperature")] public double? Temperature { get; init; }
    [JsonPropertyName("top_p")] public double? TopP { get; init; }
    [JsonPropertyName("top_k")] public int? TopK { get; init; }
    [JsonPropertyName("repetition_penalty")] public double? RepetitionPenalty { get; init; }
    [JsonPropertyName("max_new_tokens")] public int? MaxNewTokens { get; init; }
    [JsonPropertyName("transformers_version")] public string? TransformersVersion { get; init; }
    [JsonExtensionData] public IDictionary<string, JsonElement>? Extra { get; init; }

    /// <summary>What Qwen2-Instruct ships.</summary>
    public static Qwen2GenerationConfig Qwen2Instruct { get; } = new()
    {
        BosTokenId = [151643],
        PadTokenId = [151643],
        EosTokenId = [151645, 151643],
        DoSample = true,
        Temperature = 0.7,
        TopP = 0.8,
        TopK = 20,
        RepetitionPenalty = 1.05,
    };

    /// <summary>Reads <c>generation_config.json</c> from a folder, or returns null when the folder has none.</summary>
    public static Qwen2GenerationConfig? TryLoad(string directory)
    {
        var file = Path.Combine(directory, FileName);
        return File.Exists(file) ? ConfigJson.Read<Qwen2GenerationConfig>(file) : null;
    }

    /// <summary>Writes <c>generation_config.json</c> into <paramref name="directory"/> atomically.</summary>
    public void Save(string directory) => ConfigJson.WriteAtomically(Path.Combine(directory, FileName), this);
}
