using System.Text.Encodings.Web;
using System.Text.Json;

namespace Kefu.Text;

/// <summary>Quotes text for error messages: a JSON string literal that keeps Chinese readable.</summary>
internal static class Quoting
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Quote(string text) => JsonSerializer.Serialize(text, Readable);
}
