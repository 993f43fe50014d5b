using System.Text.Json;
using System.Text.Json.Nodes;
using Kefu.Evaluation.Reporting;
using Kefu.Learning.Harvesting;

namespace Kefu.Learning.Review;

/// <summary>
/// The file a person reviews before anything is trained on. FORMAT (JSONL, one record per line):
/// <code>
/// {"id": "learn-20261120-101500-3fa2c1-1", "approved": false, "category": "dialogue",
///  "messages": [{"role": "system", "content": "…"}, {"role": "user", "content": "…"}, {"role": "assistant", "content": "…"}],
///  "review": {"session_id": "s_…", "agent": "alice", "at": "…", "bot_answer": "…"}}
/// </code>
/// The reviewer sets <c>approved</c> to true (or runs <c>kefu learn approve FILE</c> for all), may edit the
/// assistant's content, and deletes lines to reject them. Approved lines become records of learned.messages.jsonl in
/// the messages format of <c>kefu data build</c> (id, category, messages).
/// </summary>
public static class ReviewFile
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(string path, IReadOnlyList<HarvestedRecord> records, string? systemPrompt)
    {
        ArgumentNullException.ThrowIfNull(records);
        AtomicFile.WriteAllLines(path, records.Select(r =>
        {
            var messages = new JsonArray();
            if (!string.IsNullOrWhiteSpace(systemPrompt))
                messages.Add(new JsonObject { ["role"] = "system", ["content"] = systemPrompt });
            foreach (var message in r.Context)
                messages.Add(new JsonObject { ["role"] = message.Role, ["content"] = message.Content });
            messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = r.Answer });
            return new JsonObject
            {
                ["id"] = r.Id,
                ["approved"] = false,
                ["category"] = "dialogue",
                ["messages"] = messages,
                ["review"] = new JsonObject
                {
                    ["session_id"] = r.SessionId,
                    ["agent"] = r.Agent,
                    ["at"] = r.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    ["bot_answer"] = r.BotAnswer,
                },
            }.ToJsonString(Compact);
        }));
    }

    /// <summary>Sets <c>approved</c> to true on every line; returns how many lines there are.</summary>
    public static int ApproveAll(string path)
    {
        var lines = ReadLines(path);
        foreach (var (line, _) in lines)
            line["approved"] = true;
        AtomicFile.WriteAllLines(path, lines.Select(l => l.Node.ToJsonString(Compact)));
        return lines.Count;
    }

    /// <summary>The approved lines as learned records (id, category, messages); unapproved lines are left out.</summary>
    public static List<string> ApprovedRecords(string path)
    {
        var records = new List<string>();
        foreach (var (line, number) in ReadLines(path))
        {
            var approved = line["approved"] switch
            {
                null => false,
                JsonValue v when v.TryGetValue<bool>(out var b) => b,
                _ => throw new InvalidDataException($"{path}:{number}: field approved: expected true or false."),
            };
            if (!approved)
                continue;
            if (line["messages"] is not JsonArray messages || !messages.Any(m => m?["role"]?.GetValue<string>() == "assistant"))
                throw new InvalidDataException($"{path}:{number}: field messages: expected an array with an assistant message.");
            var id = line["id"]?.GetValue<string>() ?? throw new InvalidDataException($"{path}:{number}: field id: missing.");
            records.Add(new JsonObject
            {
                ["id"] = id,
                ["category"] = line["category"]?.GetValue<string>() ?? "dialogue",
                ["messages"] = messages.DeepClone(),
            }.ToJsonString(Compact));
        }
        return records;
    }

    /// <summary>How many lines the file has and how many are approved.</summary>
    public static (int Lines, int Approved) Count(string path)
    {
        var lines = ReadLines(path);
        return (lines.Count, lines.Count(l => l.Node["approved"] is JsonValue v && v.TryGetValue<bool>(out var b) && b));
    }

    private static List<(JsonObject Node, int Line)> ReadLines(string path)
    {
        if (!File.Exists(path))
            throw new InvalidDataException($"{path}: review file not found.");
        var lines = new List<(JsonObject, int)>();
        var number = 0;
        foreach (var text in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
                continue;
            try
            {
                lines.Add((JsonNode.Parse(text) as JsonObject ?? throw new InvalidDataException($"{path}:{number}: expected a JSON object."), number));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{number}: not valid JSON ({e.Message}).", e);
            }
        }
        return lines;
    }
}
