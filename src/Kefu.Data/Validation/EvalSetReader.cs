using System.Text.Json;
using Kefu.Data.Diagnostics;
using Kefu.Data.Reading;
using Kefu.Data.Records;

namespace Kefu.Data.Validation;

/// <summary>
/// Reads what the customer says in each item of an evaluation set, for leakage checks. Evaluation sets belong to
/// <c>kefu eval</c>, so besides the training formats this accepts the regression-set shape
/// (<c>{"id", "turns": ["customer message", …], "expect": {…}}</c>) and objects with a question-like field; their
/// own problems are that tool's to report, so here a file that cannot be read is one warning.
/// </summary>
internal static class EvalSetReader
{
    private static readonly string[] QuestionFields = ["question", "query", "prompt", "instruction", "input", "user"];

    public static List<EvalItem> Read(SourceFile file, DiagnosticBag diagnostics)
    {
        var own = new DiagnosticBag();
        var (format, parsed) = SourceReader.Read(file with { Explicit = false, DefaultTools = [] }, own);
        var items = new List<EvalItem>();
        if (format is not null)
        {
            items.AddRange(parsed.Select(p => new EvalItem($"{file.DisplayPath}:{p.Line}",
                string.Join('\n', p.Turns.Where(t => t.Role == "user").Select(t => t.Content)))));
        }
        else
        {
            var text = SourceText.Load(file, new DiagnosticBag());
            if (text is not null)
            {
                var jsonLines = Path.GetExtension(file.FullPath).Equals(".jsonl", StringComparison.OrdinalIgnoreCase);
                foreach (var record in JsonRecordReader.Read(text, file.DisplayPath, jsonLines, new DiagnosticBag()))
                {
                    var userText = string.Join('\n', UserTexts(record.Root));
                    if (userText.Length > 0)
                        items.Add(new EvalItem($"{file.DisplayPath}:{record.Line}", userText));
                }
            }
        }
        if (items.Count == 0)
        {
            diagnostics.Warning(DiagnosticCodes.Leakage, file.DisplayPath, 0, null,
                "evaluation set has no customer text to compare (expected 'turns', 'messages', 'conversations' or a 'question' field); leakage not checked");
        }
        return items;
    }

    private static IEnumerable<string> UserTexts(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            yield break;
        if (RecordContext.TryGet(root, "turns", out var turns) && turns.ValueKind == JsonValueKind.Array)
        {
            foreach (var turn in turns.EnumerateArray())
            {
                if (turn.ValueKind == JsonValueKind.String)
                    yield return turn.GetString()!;
                else if (turn.ValueKind == JsonValueKind.Object && IsUser(turn) && ContentOf(turn) is { } content)
                    yield return content;
            }
            yield break;
        }
        foreach (var name in QuestionFields)
        {
            if (RecordContext.TryGet(root, name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Trim().Length > 0)
            {
                yield return value.GetString()!;
                yield break;
            }
        }
    }

    private static bool IsUser(JsonElement turn) =>
        (RecordContext.TryGet(turn, "role", out var role) || RecordContext.TryGet(turn, "from", out role))
        && role.ValueKind == JsonValueKind.String && role.GetString() is "user" or "human";

    private static string? ContentOf(JsonElement turn) =>
        (RecordContext.TryGet(turn, "content", out var content) || RecordContext.TryGet(turn, "value", out content))
        && content.ValueKind == JsonValueKind.String ? content.GetString() : null;
}
