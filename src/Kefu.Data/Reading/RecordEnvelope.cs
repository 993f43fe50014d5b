using System.Globalization;
using System.Text.Json;
using Kefu.Data.Categories;
using Kefu.Data.Diagnostics;
using Kefu.Data.Records;
using Kefu.Text;

namespace Kefu.Data.Reading;

/// <summary>The fields every JSON format may carry besides its turns: <c>id</c>, <c>category</c> and <c>tools</c>.</summary>
internal sealed record RecordEnvelope(string? Id, DataCategory? Category, IReadOnlyList<ToolDefinition> Tools)
{
    public static RecordEnvelope Read(RecordContext context)
    {
        var root = context.Root;
        string? id = null;
        if (RecordContext.TryGet(root, "id", out var idElement))
        {
            id = idElement.ValueKind switch
            {
                JsonValueKind.String => idElement.GetString(),
                JsonValueKind.Number => idElement.GetRawText(),
                _ => null,
            };
            if (id is null)
                context.Error(DiagnosticCodes.WrongType, "id", $"must be a string or a number, not {RecordContext.Describe(idElement.ValueKind)}");
            else if (string.IsNullOrWhiteSpace(id))
                context.Error(DiagnosticCodes.EmptyField, "id", "empty id (leave the field out to use file:line)");
        }

        DataCategory? category = null;
        var categoryText = context.OptionalString(root, "category", "category");
        if (categoryText is not null)
        {
            if (CategoryNames.TryParse(categoryText, out var parsed))
                category = parsed;
            else
                context.Error(DiagnosticCodes.UnknownCategory, "category", $"unknown category '{categoryText}'; use {CategoryNames.Accepted}");
        }

        var tools = context.File.DefaultTools;
        if (RecordContext.TryGet(root, "tools", out var toolsElement))
        {
            var read = ToolDefinitionReader.Read(toolsElement, out var error, out var subField);
            if (read is null)
                context.Error(DiagnosticCodes.InvalidToolDefinition, "tools" + subField, error!);
            else
                tools = read;
        }
        return new RecordEnvelope(id?.Trim(), category, tools);
    }

    /// <summary>
    /// Checks one tool call: its arguments must be a JSON object (given as a JSON string, OpenAI style, or inline) and
    /// its name must be declared. Returns the call with compact argument JSON, or null after reporting.
    /// </summary>
    public ToolCall? ReadCall(RecordContext context, string name, JsonElement arguments, string nameField, string argumentsField)
    {
        JsonElement parsedArguments;
        if (arguments.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var document = JsonDocument.Parse(arguments.GetString()!);
                parsedArguments = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                context.Error(DiagnosticCodes.InvalidToolArguments, argumentsField,
                    $"tool '{name}': arguments are not valid JSON: {e.Message.Split(" LineNumber:")[0]}");
                return null;
            }
        }
        else
        {
            parsedArguments = arguments;
        }
        if (parsedArguments.ValueKind != JsonValueKind.Object)
        {
            context.Error(DiagnosticCodes.InvalidToolArguments, argumentsField,
                $"tool '{name}': arguments must be a JSON object, not {RecordContext.Describe(parsedArguments.ValueKind)}");
            return null;
        }
        if (!Tools.Any(t => t.Name == name))
        {
            var declared = Tools.Count == 0
                ? "the record declares no tools (add 'tools' to the record, or a 'tools' file to kefu-data.json)"
                : "declared: " + string.Join(", ", Tools.Select(t => t.Name));
            context.Error(DiagnosticCodes.UndeclaredTool, nameField, $"tool '{name}' is not declared; {declared}");
            return null;
        }
        return new ToolCall(name, JsonText.Compact(parsedArguments));
    }

    public static string Index(string field, int i) => field + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
}
