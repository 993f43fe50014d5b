using System.Globalization;
using System.Text.Json;

namespace Kefu.Model.Safetensors;

/// <summary>
/// Writes a model folder's weights as transformers does: one <c>model.safetensors</c> when they fit in a shard,
/// otherwise <c>model-00001-of-0000N.safetensors</c> files plus <c>model.safetensors.index.json</c>.
/// </summary>
public static class SafetensorsCheckpointWriter
{
    /// <summary>transformers' default max_shard_size is 5 GB; Kefu uses 2 GB so shards stay easy to move around.</summary>
    public const long DefaultMaxShardBytes = 2_000_000_000;

    /// <summary>Writes the entries into <paramref name="directory"/>; returns the files written (shards, then the index).</summary>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<SafetensorsEntry> entries, long maxShardBytes = DefaultMaxShardBytes,
        IReadOnlyDictionary<string, string>? metadata = null, Action<SafetensorsEntry>? onWritten = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxShardBytes);
        Directory.CreateDirectory(directory);
        var shards = Plan(entries, maxShardBytes);
        metadata ??= new Dictionary<string, string> { ["format"] = "pt" };
        if (shards.Count == 1)
        {
            var single = Path.Combine(directory, SafetensorsCheckpoint.SingleFileName);
            SafetensorsWriter.Write(single, shards[0], metadata, onWritten);
            File.Delete(Path.Combine(directory, SafetensorsIndex.FileName));
            return [single];
        }

        var written = new List<string>();
        var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < shards.Count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors");
            var path = Path.Combine(directory, name);
            SafetensorsWriter.Write(path, shards[i], metadata, onWritten);
            written.Add(path);
            foreach (var entry in shards[i])
                weightMap[entry.Name] = name;
        }
        // The index goes last: a folder with an index always has all of its shards.
        var index = new SafetensorsIndex
        {
            Metadata = new Dictionary<string, JsonElement> { ["total_size"] = JsonSerializer.SerializeToElement(entries.Sum(e => e.ByteLength)) },
            WeightMap = weightMap,
        };
        var indexPath = Path.Combine(directory, SafetensorsIndex.FileName);
        index.Save(indexPath);
        File.Delete(Path.Combine(directory, SafetensorsCheckpoint.SingleFileName));
        written.Add(indexPath);
        return written;
    }

    /// <summary>Groups entries in order into shards of at most <paramref name="maxShardBytes"/> (a larger tensor gets a shard of its own).</summary>
    public static IReadOnlyList<IReadOnlyList<SafetensorsEntry>> Plan(IReadOnlyList<SafetensorsEntry> entries, long maxShardBytes)
    {
        var shards = new List<IReadOnlyList<SafetensorsEntry>>();
        var current = new List<SafetensorsEntry>();
        long size = 0;
        foreach (var entry in entries)
        {
            if (current.Count > 0 && size + entry.ByteLength > maxShardBytes)
            {
                shards.Add(current);
                current = [];
                size = 0;
            }
            current.Add(entry);
            size += entry.ByteLength;
        }
        if (current.Count > 0 || shards.Count == 0)
            shards.Add(current);
        return shards;
    }
}
