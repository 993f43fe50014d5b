using System.Text.Json;

namespace Kefu.Learning;

/// <summary>The JSON settings of the loop's own files (state, registry, run reports): indented, readable Chinese.</summary>
internal static class LearningJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
