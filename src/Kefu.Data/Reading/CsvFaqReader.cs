using CsvHelper;
using Kefu.Data.Categories;
using Kefu.Data.Diagnostics;
using Kefu.Data.Records;
using Kefu.Text;

namespace Kefu.Data.Reading;

/// <summary>
/// CSV FAQ files (RFC 4180, UTF-8, header row required): <c>question</c>, <c>answer</c>, optional <c>category</c>
/// and <c>id</c>. Chinese headers (问题, 答案, 分类/类别, 编号) are accepted too, since FAQ sheets exported by
/// Chinese teams use them.
/// </summary>
internal static class CsvFaqReader
{
    private static readonly Dictionary<string, string> HeaderAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["question"] = "question", ["问题"] = "question", ["q"] = "question",
        ["answer"] = "answer", ["答案"] = "answer", ["回答"] = "answer", ["a"] = "answer",
        ["category"] = "category", ["分类"] = "category", ["类别"] = "category",
        ["id"] = "id", ["编号"] = "id",
    };

    public static List<ParsedRecord> Read(SourceFile file, SourceText source, DiagnosticBag diagnostics)
    {
        var records = new List<ParsedRecord>();
        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            MalformedData = CsvMalformedDataHandling.Skip,
            FieldCountMismatch = CsvFieldCountHandling.Skip,
            OnMalformedRecord = record => diagnostics.Error(DiagnosticCodes.CsvRowShape, file.DisplayPath, (int)record.LineNumber, null, Describe(record)),
        };
        using var reader = CsvReader.Create(source.Utf8, options);
        var header = reader.Headers.ToArray();
        if (header.Length == 0)
        {
            diagnostics.Warning(DiagnosticCodes.EmptyFile, file.DisplayPath, 0, null, "the file is empty");
            return records;
        }
        var columns = ReadHeader(file, header, 1, diagnostics);
        if (columns is null)
            return records;
        var errorsBefore = diagnostics.ErrorCount;
        while (reader.Read())
        {
            var fields = new string[reader.FieldCount];
            for (var i = 0; i < fields.Length; i++)
                fields[i] = reader.GetString(i);
            var record = ReadRow(file, columns, fields, (int)reader.LineNumber, diagnostics);
            if (record is not null)
                records.Add(record);
        }
        if (records.Count == 0 && diagnostics.ErrorCount == errorsBefore)
            diagnostics.Warning(DiagnosticCodes.EmptyFile, file.DisplayPath, 0, null, "the file has a header but no rows");
        return records;
    }

    private static string Describe(CsvMalformedRecord record) => record.Reason switch
    {
        CsvMalformedReason.FieldCountMismatch => "the row has a different number of columns than the header (quote fields that contain commas)",
        CsvMalformedReason.StrayQuote => "a quote inside an unquoted field (quote the field and double the quote: \"say \"\"hi\"\"\")",
        CsvMalformedReason.TextAfterClosingQuote => "text after the closing quote of a quoted field (double quotes inside quoted fields)",
        CsvMalformedReason.UnterminatedQuote => "a quoted field is never closed",
        _ => $"malformed row ({record.Reason})",
    };

    private static Dictionary<string, int>? ReadHeader(SourceFile file, string[] header, int line, DiagnosticBag diagnostics)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            if (HeaderAliases.TryGetValue(header[i].Trim(), out var name))
                columns.TryAdd(name, i);
        }
        foreach (var required in new[] { "question", "answer" })
        {
            if (!columns.ContainsKey(required))
            {
                diagnostics.Error(DiagnosticCodes.MissingField, file.DisplayPath, line, required,
                    $"the header has no '{required}' column (header: {string.Join(",", header)}); the first row must name the columns question,answer[,category][,id]");
                return null;
            }
        }
        return columns;
    }

    private static ParsedRecord? ReadRow(SourceFile file, Dictionary<string, int> columns, string[] fields, int line, DiagnosticBag diagnostics)
    {
        var errors = diagnostics.ErrorCount;
        string? Field(string name)
        {
            if (!columns.TryGetValue(name, out var index))
                return null;
            var value = fields[index];
            var bad = TextChecks.FindBadCharacter(value);
            if (bad is null)
                return value;
            diagnostics.Error(DiagnosticCodes.ControlCharacter, file.DisplayPath, line, name, bad);
            return null;
        }
        var question = Field("question");
        var answer = Field("answer");
        var categoryText = Field("category");
        var id = Field("id");
        if (question is not null && TextChecks.IsBlank(question))
            diagnostics.Error(DiagnosticCodes.EmptyField, file.DisplayPath, line, "question", "empty question");
        if (answer is not null && TextChecks.IsBlank(answer))
            diagnostics.Error(DiagnosticCodes.EmptyAnswer, file.DisplayPath, line, "answer", "empty answer");
        DataCategory? category = null;
        if (!string.IsNullOrWhiteSpace(categoryText))
        {
            if (CategoryNames.TryParse(categoryText, out var parsed))
                category = parsed;
            else
                diagnostics.Error(DiagnosticCodes.UnknownCategory, file.DisplayPath, line, "category", $"unknown category '{categoryText}'; use {CategoryNames.Accepted}");
        }
        if (diagnostics.ErrorCount > errors)
            return null;
        ChatTurn[] turns = [new("user", question!.Trim()), new("assistant", answer!.Trim())];
        return new ParsedRecord(line, turns, file.DefaultTools)
        {
            Id = string.IsNullOrWhiteSpace(id) ? null : id.Trim(),
            Category = category,
        };
    }
}
