using System.Text.Encodings.Web;
using System.Text.Json;

namespace Kefu.Data.Reading;

/// <summary>Compact JSON text that keeps Chinese readable (no <c>\uXXXX</c> escapes).</summary>
internal static class JsonText
{
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Compact(JsonElement element)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            element.WriteTo(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
