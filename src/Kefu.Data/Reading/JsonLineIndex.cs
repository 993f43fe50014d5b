using System.Globalization;
using System.Text.Json;

namespace Kefu.Data.Reading;

/// <summary>
/// The line of every value in a pretty-printed JSON document, by path (<c>[3].messages[2].content</c>), so an error
/// in a multi-line Alpaca array points at the field's own line rather than at the record's first line.
/// </summary>
internal sealed class JsonLineIndex
{
    private readonly Dictionary<string, int> _lines;

    private JsonLineIndex(Dictionary<string, int> lines) => _lines = lines;

    /// <summary>The line of <paramref name="path"/>, or of its nearest indexed ancestor; <paramref name="fallback"/> if none.</summary>
    public int LineOf(string path, int fallback)
    {
        var current = path;
        while (current.Length > 0)
        {
            if (_lines.TryGetValue(current, out var line))
                return line;
            current = Parent(current);
        }
        return fallback;
    }

    /// <summary>Indexes a document that is already known to be valid JSON.</summary>
    public static JsonLineIndex Build(ReadOnlySpan<byte> utf8, LineMap lines)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        while (reader.Read())
        {
            var line = lines.LineOf(reader.TokenStartIndex);
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    var frame = frames[^1];
                    frame.Property = reader.GetString() ?? "";
                    result.TryAdd(Join(frame.Path, frame.Property), line);
                    break;
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    var path = ValuePath(frames, result, line);
                    frames.Add(new Frame(path, reader.TokenType == JsonTokenType.StartArray));
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    frames.RemoveAt(frames.Count - 1);
                    AfterValue(frames);
                    break;
                default:
                    ValuePath(frames, result, line);
                    AfterValue(frames);
                    break;
            }
        }
        return new JsonLineIndex(result);
    }

    private static string ValuePath(List<Frame> frames, Dictionary<string, int> result, int line)
    {
        if (frames.Count == 0)
            return "";
        var parent = frames[^1];
        if (!parent.IsArray)
            return Join(parent.Path, parent.Property);
        var path = parent.Path + "[" + parent.Index.ToString(CultureInfo.InvariantCulture) + "]";
        result.TryAdd(path, line);
        return path;
    }

    private static void AfterValue(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray)
            frames[^1].Index++;
    }

    private static string Join(string parent, string property) => parent.Length == 0 ? property : parent + "." + property;

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }

    private sealed class Frame(string path, bool isArray)
    {
        public string Path { get; } = path;

        public bool IsArray { get; } = isArray;

        public int Index { get; set; }

        public string Property { get; set; } = "";
    }
}
