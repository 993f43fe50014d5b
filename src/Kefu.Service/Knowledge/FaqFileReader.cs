using System.Text.Json;
using CsvHelper;

namespace Kefu.Service.Knowledge;

/// <summary>
/// Reads question/answer pairs: CSV with a header naming <c>question</c> and <c>answer</c> (optionally <c>id</c>,
/// <c>category</c>), or JSONL with <c>question</c>/<c>answer</c> or Alpaca's <c>instruction</c>/<c>input</c>/<c>output</c>.
/// Bad rows stop the import with the file, line and field named: a knowledge base silently missing answers is
/// worse than one that refuses to load.
/// </summary>
internal static class FaqFileReader
{
    public static List<KnowledgeChunk> ReadCsv(string text, string fileName)
    {
        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw,
        };
        using var csv = CsvReader.Create(new StringReader(text), options, leaveOpen: false);
        var chunks = new List<KnowledgeChunk>();
        try
        {
            csv.ReadHeader();
            var header = csv.Headers.Select(h => h.Trim().ToLowerInvariant()).ToList();
            if (header.Count == 0)
                throw new KnowledgeFormatException(fileName, 1, null, "empty file: expected a header with question,answer");
            foreach (var required in (string[])["question", "answer"])
            {
                if (!header.Contains(required))
                    throw new KnowledgeFormatException(fileName, 1, required, $"missing column (header is: {string.Join(',', csv.Headers)})");
            }
            var question = header.IndexOf("question");
            var answer = header.IndexOf("answer");
            var id = header.IndexOf("id");
            while (csv.Read())
            {
                var line = (int)csv.LineNumber;
                var questionText = csv.GetString(question).Trim();
                var answerText = csv.GetString(answer).Trim();
                if (questionText.Length == 0)
                    throw new KnowledgeFormatException(fileName, line, "question", "empty");
                if (answerText.Length == 0)
                    throw new KnowledgeFormatException(fileName, line, "answer", "empty");
                var anchor = id >= 0 ? csv.GetString(id).Trim() : "";
                chunks.Add(new KnowledgeChunk(anchor.Length == 0 ? $"line {line}" : anchor, questionText, answerText, KnowledgeChunkKind.Faq));
            }
        }
        catch (CsvFormatException e)
        {
            throw new KnowledgeFormatException(fileName, (int)e.LineNumber, null, $"malformed CSV: {e.Message}");
        }
        return chunks;
    }

    public static List<KnowledgeChunk> ReadJsonLines(string text, string fileName)
    {
        var chunks = new List<KnowledgeChunk>();
        var lineNumber = 0;
        foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException e)
            {
                throw new KnowledgeFormatException(fileName, lineNumber, null, $"invalid JSON: {e.Message}");
            }
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    throw new KnowledgeFormatException(fileName, lineNumber, null, "expected a JSON object");
                var root = document.RootElement;
                var question = Text(root, "question", fileName, lineNumber) ?? JoinInstruction(root, fileName, lineNumber);
                var answer = Text(root, "answer", fileName, lineNumber) ?? Text(root, "output", fileName, lineNumber);
                if (string.IsNullOrWhiteSpace(question))
                    throw new KnowledgeFormatException(fileName, lineNumber, "question", "missing or empty (expected question or instruction)");
                if (string.IsNullOrWhiteSpace(answer))
                    throw new KnowledgeFormatException(fileName, lineNumber, "answer", "missing or empty (expected answer or output)");
                var id = Text(root, "id", fileName, lineNumber);
                chunks.Add(new KnowledgeChunk(
                    string.IsNullOrWhiteSpace(id) ? $"line {lineNumber}" : id.Trim(), question.Trim(), answer.Trim(), KnowledgeChunkKind.Faq));
            }
        }
        return chunks;
    }

    private static string? JoinInstruction(JsonElement root, string fileName, int line)
    {
        var instruction = Text(root, "instruction", fileName, line);
        var input = Text(root, "input", fileName, line);
        return string.IsNullOrWhiteSpace(input) ? instruction : $"{instruction}\n{input}";
    }

    private static string? Text(JsonElement root, string name, string fileName, int line)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new KnowledgeFormatException(fileName, line, name, $"expected a string, found {value.ValueKind}");
    }
}
