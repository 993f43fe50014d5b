using System.Globalization;
using System.Text.Json;
using Kefu.Text;

namespace Kefu.Data.Reading;

/// <summary>
/// Reads tool declarations in the forms datasets use: OpenAI's <c>[{"type":"function","function":{…}}]</c>, the flat
/// <c>[{"name","description","parameters"}]</c>, or either of those as a JSON string (LLaMA-Factory's ShareGPT).
/// </summary>
internal static class ToolDefinitionReader
{
    private const string EmptySchema = """{"type":"object","properties":{}}""";

    /// <summary>Reads a file holding a JSON array of tool definitions; null with <paramref name="error"/> on failure.</summary>
    public static IReadOnlyList<ToolDefinition>? ReadFile(string path, out string? error)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var tools = Read(document.RootElement.Clone(), out error, out var subField);
            if (tools is null && subField is not null)
                error = subField + ": " + error;
            return tools;
        }
        catch (JsonException e)
        {
            error = "not valid JSON: " + e.Message.Split(" LineNumber:")[0];
            return null;
        }
        catch (IOException e)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>Parses the tools; on failure returns null and sets <paramref name="error"/> (with the failing sub-field).</summary>
    public static IReadOnlyList<ToolDefinition>? Read(JsonElement tools, out string? error, out string? subField)
    {
        error = null;
        subField = null;
        if (tools.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var parsed = JsonDocument.Parse(tools.GetString()!);
                return Read(parsed.RootElement.Clone(), out error, out subField);
            }
            catch (JsonException e)
            {
                error = "a string of tools must hold a JSON array: " + e.Message.Split(" LineNumber:")[0];
                return null;
            }
        }
        if (tools.ValueKind != JsonValueKind.Array)
        {
            error = $"must be an array of tool definitions, not {RecordContext.Describe(tools.ValueKind)}";
            return null;
        }
        var result = new List<ToolDefinition>();
        var i = 0;
        foreach (var entry in tools.EnumerateArray())
        {
            subField = "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            var definition = ReadOne(entry, out error);
            if (definition is null)
                return null;
            result.Add(definition);
            i++;
        }
        subField = null;
        return result;
    }

    private static ToolDefinition? ReadOne(JsonElement entry, out string? error)
    {
        error = null;
        if (entry.ValueKind != JsonValueKind.Object)
        {
            error = $"a tool definition must be an object, not {RecordContext.Describe(entry.ValueKind)}";
            return null;
        }
        var function = entry;
        if (RecordContext.TryGet(entry, "function", out var wrapped))
        {
            if (RecordContext.TryGet(entry, "type", out var type) && (type.ValueKind != JsonValueKind.String || type.GetString() != "function"))
            {
                error = "a tool's 'type' must be \"function\"";
                return null;
            }
            function = wrapped;
            if (function.ValueKind != JsonValueKind.Object)
            {
                error = "'function' must be an object with name, description and parameters";
                return null;
            }
        }
        if (!RecordContext.TryGet(function, "name", out var name) || name.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(name.GetString()))
        {
            error = "a tool definition needs a non-empty string 'name'";
            return null;
        }
        var description = "";
        if (RecordContext.TryGet(function, "description", out var descriptionElement))
        {
            if (descriptionElement.ValueKind != JsonValueKind.String)
            {
                error = $"tool '{name.GetString()}': 'description' must be a string";
                return null;
            }
            description = descriptionElement.GetString()!;
        }
        var parameters = EmptySchema;
        if (RecordContext.TryGet(function, "parameters", out var parametersElement))
        {
            if (parametersElement.ValueKind != JsonValueKind.Object)
            {
                error = $"tool '{name.GetString()}': 'parameters' must be a JSON schema object";
                return null;
            }
            parameters = JsonText.Compact(parametersElement);
        }
        return new ToolDefinition(name.GetString()!, description, parameters);
    }
}
