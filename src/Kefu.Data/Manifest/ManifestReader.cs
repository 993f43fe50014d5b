using System.Text.Json;
using Kefu.Data.Categories;
using Kefu.Data.Diagnostics;
using Kefu.Data.Reading;
using Kefu.Data.Records;
using Kefu.Text;

namespace Kefu.Data.Manifest;

/// <summary>Reads and checks <c>kefu-data.json</c>; every problem is a KD006 error at the manifest's line and field.</summary>
internal static class ManifestReader
{
    private static readonly HashSet<string> KnownKeys = ["sources", "tools", "system", "eval", "description", "name", "$schema"];

    public static DatasetManifest? Read(string fullPath, string displayPath, DiagnosticBag diagnostics)
    {
        var manifestFile = new SourceFile(fullPath, displayPath, Path.GetFileName(fullPath));
        var text = SourceText.Load(manifestFile, diagnostics);
        if (text is null)
            return null;
        var records = JsonRecordReader.Read(text, displayPath, jsonLines: false, diagnostics);
        if (records.Count != 1 || records[0].Root.ValueKind != JsonValueKind.Object)
        {
            if (records.Count > 0)
                diagnostics.Error(DiagnosticCodes.ManifestError, displayPath, 1, null, "the manifest must be one JSON object with a 'sources' array");
            return null;
        }
        var record = records[0];
        var errors = diagnostics.ErrorCount;
        void Error(string field, string message) => diagnostics.Error(DiagnosticCodes.ManifestError, displayPath, record.LineOf(field), field, message);

        foreach (var property in record.Root.EnumerateObject().Where(p => !KnownKeys.Contains(p.Name)))
        {
            diagnostics.Warning(DiagnosticCodes.ManifestError, displayPath, record.LineOf(property.Name), property.Name,
                "unknown key, ignored (known: sources, tools, system, eval)");
        }
        var directory = Path.GetDirectoryName(fullPath)!;
        var defaultTools = ReadTools(record.Root, "tools", directory, Error) ?? [];
        var system = ReadSystem(record.Root, "system", Error);
        var sources = new List<ManifestSource>();
        if (!RecordContext.TryGet(record.Root, "sources", out var sourcesElement) || sourcesElement.ValueKind != JsonValueKind.Array)
            Error("sources", "missing: the manifest needs a 'sources' array of {\"path\", \"format\"?, \"category\"?}");
        else
        {
            var i = 0;
            foreach (var entry in sourcesElement.EnumerateArray())
            {
                var field = RecordEnvelope.Index("sources", i++);
                var source = ReadSource(entry, field, directory, record, Error);
                if (source is not null)
                    sources.Add(source);
            }
            if (i == 0)
                Error("sources", "empty: list at least one training file");
        }
        var eval = ReadEval(record.Root, Error);
        if (diagnostics.ErrorCount > errors)
            return null;
        return new DatasetManifest(fullPath, sources, eval) { Tools = defaultTools, System = system };
    }

    private static ManifestSource? ReadSource(JsonElement entry, string field, string directory, JsonRecord record, Action<string, string> error)
    {
        if (entry.ValueKind == JsonValueKind.String)
            return new ManifestSource(entry.GetString()!, record.LineOf(field));
        if (entry.ValueKind != JsonValueKind.Object)
        {
            error(field, "a source must be an object {\"path\", \"format\"?, \"category\"?, \"tools\"?} or a path string");
            return null;
        }
        if (!RecordContext.TryGet(entry, "path", out var path) || path.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(path.GetString()))
        {
            error(field + ".path", "missing: the file's path relative to the manifest");
            return null;
        }
        DatasetFormat? format = null;
        if (RecordContext.TryGet(entry, "format", out var formatElement))
        {
            if (formatElement.ValueKind == JsonValueKind.String && DatasetFormatNames.TryParse(formatElement.GetString(), out var parsed))
                format = parsed;
            else
                error(field + ".format", $"unknown format {formatElement.GetRawText()}; use {DatasetFormatNames.Accepted}");
        }
        DataCategory? category = null;
        if (RecordContext.TryGet(entry, "category", out var categoryElement))
        {
            if (categoryElement.ValueKind == JsonValueKind.String && CategoryNames.TryParse(categoryElement.GetString(), out var parsed))
                category = parsed;
            else
                error(field + ".category", $"unknown category {categoryElement.GetRawText()}; use {CategoryNames.Accepted}");
        }
        var tools = ReadTools(entry, field + ".tools", directory, error, "tools");
        var system = ReadSystem(entry, field + ".system", error);
        return new ManifestSource(path.GetString()!.Trim(), record.LineOf(field)) { Format = format, Category = category, Tools = tools, System = system };
    }

    private static List<ToolDefinition>? ReadTools(JsonElement owner, string field, string directory, Action<string, string> error, string name = "tools")
    {
        if (!RecordContext.TryGet(owner, name, out var tools))
            return null;
        IReadOnlyList<ToolDefinition>? read;
        string? message;
        if (tools.ValueKind == JsonValueKind.String)
        {
            var toolsPath = Path.GetFullPath(Path.Combine(directory, tools.GetString()!));
            if (!File.Exists(toolsPath))
            {
                error(field, $"tools file '{tools.GetString()}' not found");
                return null;
            }
            read = ToolDefinitionReader.ReadFile(toolsPath, out message);
            message = $"tools file '{tools.GetString()}': {message}";
        }
        else
        {
            read = ToolDefinitionReader.Read(tools, out message, out var subField);
            message = (subField is null ? "" : $"{subField}: ") + message;
        }
        if (read is null)
        {
            error(field, message!);
            return null;
        }
        return [.. read];
    }

    private static string? ReadSystem(JsonElement owner, string field, Action<string, string> error)
    {
        if (!RecordContext.TryGet(owner, "system", out var system))
            return null;
        if (system.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(system.GetString()))
        {
            error(field, "must be a non-empty string (the system prompt)");
            return null;
        }
        return system.GetString()!.Trim();
    }

    private static List<string> ReadEval(JsonElement root, Action<string, string> error)
    {
        var eval = new List<string>();
        if (!RecordContext.TryGet(root, "eval", out var element))
            return eval;
        var items = element.ValueKind == JsonValueKind.Array ? [.. element.EnumerateArray()] : new List<JsonElement> { element };
        var i = 0;
        foreach (var item in items)
        {
            if (item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString()))
                eval.Add(item.GetString()!.Trim());
            else
                error(element.ValueKind == JsonValueKind.Array ? RecordEnvelope.Index("eval", i) : "eval", "must be a path string (or a list of them)");
            i++;
        }
        return eval;
    }
}
