using System.Text.Json;
using System.Text.Json.Nodes;
using Kefu.Data.Reporting;

namespace Kefu.Data.Building;

/// <summary>
/// The machine-readable log of a build (<c>build.log.jsonl</c>): one JSON object per event with <c>time</c> (UTC,
/// ISO 8601), <c>event</c> and event fields. Kept in memory and written atomically at the end, on success and on
/// failure alike.
/// </summary>
public sealed class BuildLog(TimeProvider time)
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines => _lines;

    public void Write(string eventName, object? fields = null)
    {
        var entry = new JsonObject
        {
            ["time"] = time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["event"] = eventName,
        };
        if (fields is not null)
        {
            var node = JsonSerializer.SerializeToNode(fields, ReportJson.Options);
            if (node is JsonObject obj)
            {
                foreach (var (key, value) in obj.ToList())
                {
                    obj.Remove(key);
                    entry[key] = value;
                }
            }
        }
        _lines.Add(entry.ToJsonString(ReportJson.CompactOptions));
    }

    internal void Save(string path) => File.WriteAllLines(path, _lines);
}
