using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kefu.Model.Configuration;

/// <summary>Reads and writes the Hugging Face JSON files of a model folder with errors that name file, line and field.</summary>
internal static class ConfigJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static T Read<T>(string path)
    {
        if (!File.Exists(path))
            throw new ModelConfigException($"{path}: file not found.");
        return Parse<T>(File.ReadAllText(path, Encoding.UTF8), path);
    }

    public static T Parse<T>(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options)
                ?? throw new ModelConfigException($"{source}: the file holds JSON null, not an object.");
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } l ? $" line {l + 1}" : "";
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $", field {e.Path.TrimStart('$', '.')}";
            throw new ModelConfigException($"{source}{line}{field}: {FirstSentence(e.Message)}", e);
        }
    }

    public static void WriteAtomically<T>(string path, T value)
    {
        var json = JsonSerializer.Serialize(value, Options) + "\n";
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        File.WriteAllText(temp, json, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temp, path, overwrite: true);
    }

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends "Path: $.x | LineNumber: … " to its messages; we already say where.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
