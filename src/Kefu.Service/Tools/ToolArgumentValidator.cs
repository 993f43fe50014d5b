using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kefu.Service.Tools;

/// <summary>
/// Checks tool arguments against the subset of JSON Schema that tool definitions use (type, properties, required,
/// additionalProperties, enum, pattern, minLength/maxLength, minimum/maximum, items). A model's malformed call is
/// answered with the precise fault, so it can correct itself, instead of reaching the enterprise's API.
/// </summary>
internal static class ToolArgumentValidator
{
    public static List<string> Validate(JsonElement schema, JsonElement value)
    {
        var errors = new List<string>();
        Check(schema, value, "arguments", errors);
        return errors;
    }

    private static void Check(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (schema.ValueKind != JsonValueKind.Object)
            return;
        if (schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && !HasType(value, type.GetString()!))
        {
            errors.Add($"{path}: expected {type.GetString()}, found {Describe(value)}");
            return;
        }
        if (schema.TryGetProperty("enum", out var allowed) && allowed.ValueKind == JsonValueKind.Array
            && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, value)))
        {
            errors.Add($"{path}: must be one of {allowed.GetRawText()}");
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                CheckObject(schema, value, path, errors);
                break;
            case JsonValueKind.String:
                CheckString(schema, value.GetString()!, path, errors);
                break;
            case JsonValueKind.Number:
                CheckNumber(schema, value.GetDouble(), path, errors);
                break;
            case JsonValueKind.Array when schema.TryGetProperty("items", out var items):
                var index = 0;
                foreach (var item in value.EnumerateArray())
                    Check(items, item, $"{path}[{index++}]", errors);
                break;
        }
    }

    private static void CheckObject(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!value.TryGetProperty(name, out _))
                    errors.Add($"{name}: required");
            }
        }
        var closed = schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False;
        foreach (var property in value.EnumerateObject())
        {
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
                Check(propertySchema, property.Value, property.Name, errors);
            else if (closed)
                errors.Add($"{property.Name}: not a parameter of this tool");
        }
    }

    private static void CheckString(JsonElement schema, string text, string path, List<string> errors)
    {
        var length = new StringInfo(text).LengthInTextElements;
        if (schema.TryGetProperty("minLength", out var min) && length < min.GetInt32())
            errors.Add($"{path}: shorter than {min.GetInt32()} characters");
        if (schema.TryGetProperty("maxLength", out var max) && length > max.GetInt32())
            errors.Add($"{path}: longer than {max.GetInt32()} characters");
        if (schema.TryGetProperty("pattern", out var pattern)
            && !Regex.IsMatch(text, pattern.GetString()!, RegexOptions.None, TimeSpan.FromMilliseconds(100)))
        {
            errors.Add($"{path}: \"{text}\" does not match {pattern.GetString()}");
        }
    }

    private static void CheckNumber(JsonElement schema, double number, string path, List<string> errors)
    {
        if (schema.TryGetProperty("minimum", out var min) && number < min.GetDouble())
            errors.Add($"{path}: less than {min.GetDouble().ToString(CultureInfo.InvariantCulture)}");
        if (schema.TryGetProperty("maximum", out var max) && number > max.GetDouble())
            errors.Add($"{path}: greater than {max.GetDouble().ToString(CultureInfo.InvariantCulture)}");
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "string" => value.ValueKind == JsonValueKind.String,
        "array" => value.ValueKind == JsonValueKind.Array,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static string Describe(JsonElement value) => value.ValueKind.ToString().ToLowerInvariant();
}
