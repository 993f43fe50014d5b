using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kefu.Evaluation.Scenarios;

/// <summary>
/// Reads a regression set. FORMAT (JSONL, UTF-8, one scenario per line, blank lines ignored):
/// <code>
/// {"id": "reg-001",                          // unique
///  "turns": ["…", "…"],                      // 1+ customer messages, one session
///  "expect": {"facts": ["7天"],              // substrings the final reply must contain
///             "faq": "退换货政策",            // optional: knowledge page the reply must cite
///             "tool": {"name": "query_order", "arguments": {"order_id": "ORD12345"}} | null,  // arguments: a subset
///             "handoff": false,               // must the conversation end with a human?
///             "must_not_say": ["30天"],       // no reply may contain these
///             "reference": "…"},              // optional (extension): reference answer for ROUGE-L / BLEU
///  "tags": ["returns"]}                      // first tag = category in breakdowns
/// </code>
/// Every field but <c>id</c> and <c>turns</c> is optional, so older files keep working. Errors name file, line, field.
/// </summary>
public static class RegressionSetReader
{
    public static IReadOnlyList<RegressionScenario> Read(string path)
    {
        if (!File.Exists(path))
            throw new RegressionFormatException($"{path}: regression file not found.");
        var scenarios = new List<RegressionScenario>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var scenario = Parse(line, path, lineNumber);
            if (ids.TryGetValue(scenario.Id, out var first))
                throw new RegressionFormatException($"{path}:{lineNumber}: field id: \"{scenario.Id}\" was already used on line {first}.");
            ids[scenario.Id] = lineNumber;
            scenarios.Add(scenario);
        }
        if (scenarios.Count == 0)
            throw new RegressionFormatException($"{path}: no scenarios.");
        return scenarios;
    }

    internal static RegressionScenario Parse(string line, string path, int lineNumber)
    {
        string Where(string field) => $"{path}:{lineNumber}: field {field}";
        JsonObject root;
        try
        {
            root = JsonNode.Parse(line) as JsonObject ?? throw new RegressionFormatException($"{path}:{lineNumber}: expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw new RegressionFormatException($"{path}:{lineNumber}: not valid JSON ({e.Message}).", e);
        }
        var id = String(root, "id", Where) ?? throw new RegressionFormatException($"{Where("id")}: missing.");
        var turns = Strings(root["turns"], "turns", Where);
        if (turns.Count == 0 || turns.Any(string.IsNullOrWhiteSpace))
            throw new RegressionFormatException($"{Where("turns")}: needs at least one non-empty customer message.");
        var expect = root["expect"] switch
        {
            null => new JsonObject(),
            JsonObject o => o,
            _ => throw new RegressionFormatException($"{Where("expect")}: expected an object."),
        };
        ExpectedToolCall? tool = null;
        switch (expect["tool"])
        {
            case null:
                break;
            case JsonObject t:
                var name = String(t, "name", f => Where("expect.tool." + f)) ?? throw new RegressionFormatException($"{Where("expect.tool.name")}: missing.");
                var arguments = t["arguments"] switch
                {
                    null => new JsonObject(),
                    JsonObject a => (JsonObject)a.DeepClone(),
                    _ => throw new RegressionFormatException($"{Where("expect.tool.arguments")}: expected an object."),
                };
                tool = new ExpectedToolCall(name, arguments);
                break;
            default:
                throw new RegressionFormatException($"{Where("expect.tool")}: expected an object or null.");
        }
        var handoff = expect["handoff"] switch
        {
            null => false,
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            _ => throw new RegressionFormatException($"{Where("expect.handoff")}: expected true or false."),
        };
        var expectation = new ScenarioExpectation(
            Strings(expect["facts"], "expect.facts", Where),
            String(expect, "faq", f => Where("expect." + f)),
            tool,
            handoff,
            Strings(expect["must_not_say"], "expect.must_not_say", Where),
            String(expect, "reference", f => Where("expect." + f)));
        return new RegressionScenario(id, turns, expectation, Strings(root["tags"], "tags", Where), lineNumber);
    }

    private static string? String(JsonObject owner, string field, Func<string, string> where) => owner[field] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw new RegressionFormatException($"{where(field)}: expected a string."),
    };

    private static List<string> Strings(JsonNode? node, string field, Func<string, string> where)
    {
        if (node is null)
            return [];
        if (node is not JsonArray array)
            throw new RegressionFormatException($"{where(field)}: expected an array of strings.");
        var list = new List<string>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonValue v && v.TryGetValue<string>(out var s))
                list.Add(s);
            else
                throw new RegressionFormatException($"{where(field)}: item {i} is not a string.");
        }
        return list;
    }
}
