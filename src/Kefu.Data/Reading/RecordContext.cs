using System.Text.Json;
using Kefu.Data.Diagnostics;
using Kefu.Data.Records;

namespace Kefu.Data.Reading;

/// <summary>
/// Reading one JSON record: field accessors that report missing, mistyped and badly encoded fields with the record's
/// file, the field's line and its path, and remember whether the record had any error.
/// </summary>
internal sealed class RecordContext(SourceFile file, JsonRecord record, DiagnosticBag diagnostics)
{
    public SourceFile File { get; } = file;

    public JsonRecord Record { get; } = record;

    public JsonElement Root => Record.Root;

    public int Line => Record.Line;

    public bool HasErrors { get; private set; }

    public void Error(string code, string? field, string message)
    {
        diagnostics.Error(code, File.DisplayPath, Record.LineOf(field), field, message);
        HasErrors = true;
    }

    public void Warning(string code, string? field, string message) =>
        diagnostics.Warning(code, File.DisplayPath, Record.LineOf(field), field, message);

    /// <summary>The property, or false when it is absent or JSON null.</summary>
    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
            return true;
        value = default;
        return false;
    }

    /// <summary>A required string: reports a missing or non-string value and bad characters; null on error.</summary>
    public string? RequiredString(JsonElement obj, string name, string field, string? what = null)
    {
        if (!TryGet(obj, name, out var value))
        {
            Error(DiagnosticCodes.MissingField, field, what is null ? "missing" : $"missing: {what}");
            return null;
        }
        return StringValue(value, field);
    }

    /// <summary>An optional string: null when absent; reports a non-string value and bad characters.</summary>
    public string? OptionalString(JsonElement obj, string name, string field) =>
        TryGet(obj, name, out var value) ? StringValue(value, field) : null;

    public string? StringValue(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            Error(DiagnosticCodes.WrongType, field, $"must be a string, not {Describe(value.ValueKind)}");
            return null;
        }
        return CheckText(value.GetString()!, field);
    }

    /// <summary>Returns the text, or null after reporting a control character in it.</summary>
    public string? CheckText(string text, string field)
    {
        var bad = TextChecks.FindBadCharacter(text);
        if (bad is null)
            return text;
        Error(DiagnosticCodes.ControlCharacter, field, bad);
        return null;
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "undefined",
    };
}
