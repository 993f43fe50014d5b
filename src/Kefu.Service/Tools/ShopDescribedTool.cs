using System.Text.Json;

namespace Kefu.Service.Tools;

/// <summary>
/// A built-in tool as the shop describes it: the shop's own description and argument schema (its order-number
/// format, its wording) from its tools file, the built-in tool's behaviour. Validation uses the shop's schema.
/// </summary>
public sealed class ShopDescribedTool(ITool inner, string description, JsonElement parametersSchema) : ITool
{
    public string Name => inner.Name;

    public string Description => description;

    public JsonElement ParametersSchema => parametersSchema;

    public bool RequiresConfirmation => inner.RequiresConfirmation;

    public Task<ToolResult> InvokeAsync(JsonElement arguments, CancellationToken cancellationToken) =>
        inner.InvokeAsync(arguments, cancellationToken);

    /// <summary>
    /// Applies an OpenAI-format tools file (<c>[{"type":"function","function":{name, description, parameters}}]</c>)
    /// to <paramref name="tools"/>, by name. A tool the file names but Kefu does not have is an error naming the file:
    /// a described tool that nothing can run would let a model call into the void.
    /// </summary>
    public static IReadOnlyList<ITool> Apply(IReadOnlyList<ITool> tools, string path)
    {
        ArgumentNullException.ThrowIfNull(tools);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{(e.LineNumber ?? 0) + 1}: invalid JSON: {e.Message}", e);
        }
        if (root.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{path}: expected an array of {{\"type\":\"function\",\"function\":{{…}}}} tool definitions");

        var byName = tools.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var index = 0;
        foreach (var entry in root.EnumerateArray())
        {
            var field = $"[{index++}].function";
            if (!entry.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{path}: {field}: missing");
            var name = function.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
            if (!byName.TryGetValue(name, out var tool))
                throw new InvalidDataException($"{path}: {field}.name: '{name}' is no tool Kefu can run (known: {string.Join(", ", byName.Keys)})");
            var description = function.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : tool.Description;
            var schema = function.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object ? p : tool.ParametersSchema;
            byName[name] = new ShopDescribedTool(tool, description, schema);
        }
        // Keep the built-in order, so prompts do not change with the file's order.
        return [.. tools.Select(t => byName[t.Name])];
    }
}
