using Kefu.Data.Categories;
using Kefu.Data.Diagnostics;
using Kefu.Data.Records;
using Kefu.Text;

namespace Kefu.Data.Reading;

/// <summary>
/// Reads every training file the PATH arguments name (see <see cref="SourceDiscovery"/>), in any supported format,
/// into <see cref="DataRecord"/>s: settles each record's id (its own, else <c>path:line</c>) and category (its own
/// field, else the manifest's default, else inferred), and reports duplicate ids.
/// </summary>
public sealed class DatasetLoader
{
    private readonly string _workingDirectory;

    /// <param name="workingDirectory">Relative paths resolve, and diagnostics are shown, relative to this folder.</param>
    public DatasetLoader(string? workingDirectory = null) =>
        _workingDirectory = Path.GetFullPath(workingDirectory ?? Environment.CurrentDirectory);

    /// <summary>Reads the files; <paramref name="onFile"/> is called after each one (for progress).</summary>
    public LoadedDataset Load(IReadOnlyList<string> paths, Action<SourceFile, int>? onFile = null)
    {
        var diagnostics = new DiagnosticBag();
        var discovered = new SourceDiscovery(_workingDirectory, diagnostics).Discover(paths);
        var records = new List<DataRecord>();
        var summaries = new List<SourceSummary>();
        var ids = new Dictionary<string, DataRecord>(StringComparer.Ordinal);
        var index = 0;
        foreach (var file in discovered.Sources)
        {
            var (format, parsed) = SourceReader.Read(file, diagnostics);
            var kept = 0;
            foreach (var record in parsed)
            {
                var dataRecord = ToDataRecord(file, format!.Value, record);
                if (dataRecord.HasExplicitId && !ids.TryAdd(dataRecord.Id, dataRecord))
                {
                    diagnostics.Error(DiagnosticCodes.DuplicateId, file.DisplayPath, record.Line, "id",
                        $"duplicate id '{dataRecord.Id}' (first used at {ids[dataRecord.Id].Location})");
                    continue;
                }
                records.Add(dataRecord);
                kept++;
            }
            if (format is not null || file.Explicit)
                summaries.Add(new SourceSummary(file, format, kept));
            onFile?.Invoke(file, ++index);
        }
        if (discovered.Sources.Count == 0 && diagnostics.ErrorCount == 0)
            diagnostics.Error(DiagnosticCodes.PathNotFound, string.Join(" ", paths), 0, null, "no training files found (*.json, *.jsonl, *.csv, or a kefu-data.json manifest)");
        return new LoadedDataset(records, diagnostics.Items, summaries, discovered.EvalFiles);
    }

    /// <summary>The number of training files the paths resolve to, for sizing a progress bar.</summary>
    public int CountFiles(IReadOnlyList<string> paths) =>
        new SourceDiscovery(_workingDirectory, new DiagnosticBag()).Discover(paths).Sources.Count;

    private static DataRecord ToDataRecord(SourceFile file, DatasetFormat format, ParsedRecord record)
    {
        var (category, source, reason) = record.Category is { } own ? (own, CategorySource.Field, "")
            : file.DefaultCategory is { } manifest ? (manifest, CategorySource.Manifest, "")
            : Infer(record);
        IReadOnlyList<ChatTurn> turns = file.DefaultSystemPrompt is { } system && record.Turns[0].Role != ChatTurn.System
            ? [new ChatTurn(ChatTurn.System, system), .. record.Turns]
            : record.Turns;
        return new DataRecord(record.Id ?? $"{file.RelativePath}:{record.Line}", file, record.Line, format, turns, record.Tools)
        {
            Category = category,
            CategorySource = source,
            CategoryReason = reason,
            HasExplicitId = record.Id is not null,
        };
    }

    private static (DataCategory, CategorySource, string) Infer(ParsedRecord record)
    {
        var (category, reason) = CategoryClassifier.Infer(record.Turns);
        return (category, CategorySource.Inferred, reason);
    }
}
