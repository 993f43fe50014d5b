using System.Text.Encodings.Web;
using System.Text.Json;

namespace Kefu.Service.Tools;

/// <summary>JSON for tool arguments and results: Chinese kept as written (not \u-escaped), for people reading logs and replies.</summary>
internal static class ToolJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonElement Arguments<T>(T arguments) => JsonSerializer.SerializeToElement(arguments, Options);
}
