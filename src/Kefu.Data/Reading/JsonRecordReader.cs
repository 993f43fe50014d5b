using System.Globalization;
using System.Text;
using System.Text.Json;
using Kefu.Data.Diagnostics;

namespace Kefu.Data.Reading;

/// <summary>
/// Splits a JSON or JSONL file into records: JSONL is one object per line (a bad line is reported and the rest are
/// still read); a <c>.json</c> file is an array of objects or a single object.
/// </summary>
internal static class JsonRecordReader
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow };

    public static List<JsonRecord> Read(SourceText source, string displayPath, bool jsonLines, DiagnosticBag diagnostics)
    {
        if (!jsonLines)
        {
            var first = source.Text.AsSpan().TrimStart();
            if (first.StartsWith("[", StringComparison.Ordinal))
                return ReadArray(source, displayPath, diagnostics);
            if (LooksLikeJsonLines(source.Text))
                return ReadLines(source, displayPath, diagnostics);
            return ReadSingle(source, displayPath, diagnostics);
        }
        return ReadLines(source, displayPath, diagnostics);
    }

    private static bool LooksLikeJsonLines(string text)
    {
        // A ".json" file that is really JSONL: two or more lines that each start with '{' and end with '}'.
        var objectLines = 0;
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
                continue;
            if (!(trimmed.StartsWith('{') && trimmed.EndsWith('}')))
                return false;
            objectLines++;
        }
        return objectLines >= 2;
    }

    private static List<JsonRecord> ReadLines(SourceText source, string displayPath, DiagnosticBag diagnostics)
    {
        var records = new List<JsonRecord>();
        var bytes = source.Utf8;
        var lineNumber = 0;
        var start = 0;
        while (start <= bytes.Length)
        {
            lineNumber++;
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0)
                end = bytes.Length;
            var line = bytes.AsMemory(start, end - start);
            start = end + 1;
            if (IsBlank(line.Span))
                continue;
            try
            {
                using var document = JsonDocument.Parse(line, Options);
                records.Add(new JsonRecord(document.RootElement.Clone(), lineNumber, null, ""));
            }
            catch (JsonException e)
            {
                diagnostics.Error(DiagnosticCodes.InvalidJson, displayPath, lineNumber, null, Describe(e, line.Span));
            }
        }
        return records;
    }

    private static List<JsonRecord> ReadArray(SourceText source, string displayPath, DiagnosticBag diagnostics)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(source.Utf8, Options);
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0) + 1;
            var lineStart = source.Lines.StartOf(line);
            var lineEnd = Array.IndexOf(source.Utf8, (byte)'\n', lineStart);
            var lineBytes = source.Utf8.AsSpan(lineStart, (lineEnd < 0 ? source.Utf8.Length : lineEnd) - lineStart);
            diagnostics.Error(DiagnosticCodes.InvalidJson, displayPath, line, null, Describe(e, lineBytes));
            return [];
        }
        using (document)
        {
            var index = JsonLineIndex.Build(source.Utf8, source.Lines);
            var records = new List<JsonRecord>();
            var i = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                var prefix = "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                records.Add(new JsonRecord(element.Clone(), index.LineOf(prefix, 1), index, prefix));
                i++;
            }
            return records;
        }
    }

    private static List<JsonRecord> ReadSingle(SourceText source, string displayPath, DiagnosticBag diagnostics)
    {
        if (IsBlank(source.Utf8))
            return [];
        try
        {
            using var document = JsonDocument.Parse(source.Utf8, Options);
            var index = JsonLineIndex.Build(source.Utf8, source.Lines);
            var firstLine = source.Lines.LineOf(source.Utf8.AsSpan().IndexOfAnyExcept(" \t\r\n"u8));
            return [new JsonRecord(document.RootElement.Clone(), firstLine, index, "")];
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0) + 1;
            diagnostics.Error(DiagnosticCodes.InvalidJson, displayPath, line, null, Describe(e, []));
            return [];
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept(" \t\r\n"u8) < 0;

    /// <summary>System.Text.Json's message without its "LineNumber: … | BytePositionInLine: …" tail, plus a character column.</summary>
    private static string Describe(JsonException e, ReadOnlySpan<byte> line)
    {
        var message = e.Message;
        var tail = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (tail >= 0)
            message = message[..tail];
        message = message.TrimEnd(' ', '.');
        if (e.BytePositionInLine is { } bytePosition && line.Length > 0)
        {
            var column = Encoding.UTF8.GetCharCount(line[..(int)Math.Min(bytePosition, line.Length)]) + 1;
            return string.Create(CultureInfo.InvariantCulture, $"invalid JSON at column {column}: {message}");
        }
        return $"invalid JSON: {message}";
    }
}
