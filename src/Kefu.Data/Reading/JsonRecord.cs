using System.Text.Json;

namespace Kefu.Data.Reading;

/// <summary>One JSON object read from a file, with the line it starts on and, for multi-line files, a field → line index.</summary>
internal sealed record JsonRecord(JsonElement Root, int Line, JsonLineIndex? Index, string PathPrefix)
{
    /// <summary>The line of <paramref name="field"/> (e.g. <c>messages[2].content</c>) within this record.</summary>
    public int LineOf(string? field)
    {
        if (Index is null || string.IsNullOrEmpty(field))
            return Line;
        var path = PathPrefix.Length == 0 ? field : field.StartsWith('[') ? PathPrefix + field : PathPrefix + "." + field;
        return Index.LineOf(path, Line);
    }
}
