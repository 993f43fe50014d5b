using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kefu.Model.Safetensors;

/// <summary>
/// <c>model.safetensors.index.json</c> of a sharded checkpoint: <c>{"metadata": {"total_size": N}, "weight_map":
/// {tensor: shard file}}</c>, as transformers writes it.
/// </summary>
public sealed record SafetensorsIndex
{
    public const string FileName = "model.safetensors.index.json";

    [JsonPropertyName("metadata")] public Dictionary<string, JsonElement>? Metadata { get; init; }
    [JsonPropertyName("weight_map")] public Dictionary<string, string>? WeightMap { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Reads and checks an index: a weight map must be present and name only plain file names.</summary>
    public static SafetensorsIndex Load(string path)
    {
        SafetensorsIndex? index;
        try
        {
            index = JsonSerializer.Deserialize<SafetensorsIndex>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } l ? $" line {l + 1}" : "";
            throw new SafetensorsFormatException($"{path}{line}: not a valid index ({e.Message})", e);
        }
        if (index?.WeightMap is null || index.WeightMap.Count == 0)
            throw new SafetensorsFormatException($"{path}: field weight_map is missing or empty.");
        foreach (var (tensor, file) in index.WeightMap)
        {
            if (string.IsNullOrEmpty(file) || file != System.IO.Path.GetFileName(file))
                throw new SafetensorsFormatException($"{path}: field weight_map.{tensor}: '{file}' is not a file name in the model folder.");
        }
        return index;
    }

    /// <summary>Writes the index atomically.</summary>
    public void Save(string path)
    {
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json) + "\n");
        File.Move(temp, path, overwrite: true);
    }
}
