using System.Text.Json;
using Kefu.Data.Diagnostics;
using Kefu.Data.Records;

namespace Kefu.Data.Reading;

/// <summary>Reads one source file in its declared or detected format.</summary>
internal static class SourceReader
{
    /// <summary>The parsed records and the format used; format null when the file was unreadable or skipped.</summary>
    public static (DatasetFormat? Format, List<ParsedRecord> Records) Read(SourceFile file, DiagnosticBag diagnostics)
    {
        var errorsBefore = diagnostics.ErrorCount;
        var text = SourceText.Load(file, diagnostics);
        if (text is null)
            return (null, []);
        var extension = Path.GetExtension(file.FullPath);
        if (file.Format == DatasetFormat.Csv || (file.Format is null && extension.Equals(".csv", StringComparison.OrdinalIgnoreCase)))
            return (DatasetFormat.Csv, CsvFaqReader.Read(file, text, diagnostics));

        var jsonRecords = JsonRecordReader.Read(text, file.DisplayPath, extension.Equals(".jsonl", StringComparison.OrdinalIgnoreCase), diagnostics);
        if (jsonRecords.Count == 0)
        {
            if (diagnostics.ErrorCount == errorsBefore)
                diagnostics.Warning(DiagnosticCodes.EmptyFile, file.DisplayPath, 0, null, "the file holds no records");
            return (file.Format, []);
        }
        var format = file.Format ?? Detect(jsonRecords);
        if (format is null)
        {
            const string what = "not a dataset file: records have no 'messages' (OpenAI), 'conversations' (ShareGPT) or 'instruction'/'output' (Alpaca)";
            if (file.Explicit)
                diagnostics.Error(DiagnosticCodes.UnknownFormat, file.DisplayPath, jsonRecords[0].Line, null, what);
            else
                diagnostics.Note(DiagnosticCodes.FileSkipped, file.DisplayPath, 0, null, "skipped, " + what);
            return (null, []);
        }
        var parse = Parser(format.Value);
        var records = new List<ParsedRecord>();
        foreach (var jsonRecord in jsonRecords)
        {
            if (jsonRecord.Root.ValueKind != JsonValueKind.Object)
            {
                diagnostics.Error(DiagnosticCodes.WrongType, file.DisplayPath, jsonRecord.Line, null,
                    $"a record must be a JSON object, not {RecordContext.Describe(jsonRecord.Root.ValueKind)}");
                continue;
            }
            var parsed = parse(new RecordContext(file, jsonRecord, diagnostics));
            if (parsed is not null)
                records.Add(parsed);
        }
        return (format, records);
    }

    /// <summary>The format of the first object record that has a recognisable shape.</summary>
    internal static DatasetFormat? Detect(IEnumerable<JsonRecord> records)
    {
        foreach (var record in records.Take(20))
        {
            var root = record.Root;
            if (root.ValueKind != JsonValueKind.Object)
                continue;
            if (root.TryGetProperty("messages", out _))
                return DatasetFormat.Messages;
            if (root.TryGetProperty("conversations", out _))
                return DatasetFormat.ShareGpt;
            if (root.TryGetProperty("instruction", out _) || root.TryGetProperty("output", out _))
                return DatasetFormat.Alpaca;
        }
        return null;
    }

    private static Func<RecordContext, ParsedRecord?> Parser(DatasetFormat format) => format switch
    {
        DatasetFormat.Alpaca => AlpacaParser.Parse,
        DatasetFormat.Messages => MessagesParser.Parse,
        DatasetFormat.ShareGpt => ShareGptParser.Parse,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "CSV is read by CsvFaqReader"),
    };
}
