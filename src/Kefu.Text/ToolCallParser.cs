using System.Text;
using System.Text.Json;

namespace Kefu.Text;

/// <summary>
/// Reads Hermes-style tool calls (<c>&lt;tool_call&gt;\n{"name": …, "arguments": {…}}\n&lt;/tool_call&gt;</c>, as the
/// Qwen2.5 template teaches) out of a model's output. Model output is untrusted: this never throws on it, and
/// reports what it had to tolerate (unclosed or stray tags, invalid JSON, a missing name, arguments given as a JSON
/// string, trailing text) in <see cref="ToolCallParseResult.Problems"/>.
/// </summary>
public static class ToolCallParser
{
    public const string OpenTag = "<tool_call>";
    public const string CloseTag = "</tool_call>";

    private static readonly JsonDocumentOptions Lenient = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static ToolCallParseResult Parse(string modelOutput)
    {
        var output = modelOutput ?? string.Empty;
        var text = new StringBuilder(output.Length);
        var calls = new List<ToolCall>();
        var problems = new List<string>();
        var position = 0;
        var blockNumber = 0;
        var sawTag = false;
        while (position <= output.Length)
        {
            var open = output.IndexOf(OpenTag, position, StringComparison.Ordinal);
            var close = output.IndexOf(CloseTag, position, StringComparison.Ordinal);
            if (close >= 0 && (open < 0 || close < open))
            {
                sawTag = true;
                text.Append(output, position, close - position);
                problems.Add($"A {CloseTag} at character {close} has no {OpenTag} before it; it was removed.");
                position = close + CloseTag.Length;
                continue;
            }
            if (open < 0)
            {
                text.Append(output, position, output.Length - position);
                break;
            }

            sawTag = true;
            blockNumber++;
            text.Append(output, position, open - position);
            var bodyStart = open + OpenTag.Length;
            var bodyClose = output.IndexOf(CloseTag, bodyStart, StringComparison.Ordinal);
            var nextOpen = output.IndexOf(OpenTag, bodyStart, StringComparison.Ordinal);
            int bodyEnd;
            if (bodyClose >= 0 && (nextOpen < 0 || bodyClose < nextOpen))
            {
                bodyEnd = bodyClose;
                position = bodyClose + CloseTag.Length;
            }
            else
            {
                bodyEnd = nextOpen >= 0 ? nextOpen : output.Length;
                position = bodyEnd;
                problems.Add($"Tool call {blockNumber}: the {OpenTag} at character {open} is not closed; read up to {(nextOpen >= 0 ? "the next " + OpenTag : "the end")}.");
            }
            ParseBlock(output[bodyStart..bodyEnd], blockNumber, calls, problems);
            if (position >= output.Length)
                break;
        }
        return new ToolCallParseResult(sawTag ? text.ToString().Trim() : text.ToString(), calls, problems);
    }

    private static void ParseBlock(string body, int blockNumber, List<ToolCall> calls, List<string> problems)
    {
        var json = StripCodeFence(body.Trim());
        if (json.Length == 0)
        {
            problems.Add($"Tool call {blockNumber}: the block is empty.");
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(json);
        var offset = 0;
        var valuesInBlock = 0;
        while (offset < bytes.Length)
        {
            JsonElement value;
            try
            {
                var reader = new Utf8JsonReader(bytes.AsSpan(offset), new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
                using var document = JsonDocument.ParseValue(ref reader);
                value = document.RootElement.Clone();
                offset += (int)reader.BytesConsumed;
            }
            catch (JsonException e)
            {
                var where = valuesInBlock == 0 ? "invalid JSON" : "text after the JSON is not another call";
                problems.Add($"Tool call {blockNumber}: {where} ({e.Message}): {Excerpt(Encoding.UTF8.GetString(bytes, offset, bytes.Length - offset))}");
                return;
            }

            valuesInBlock++;
            if (valuesInBlock == 2)
                problems.Add($"Tool call {blockNumber}: the block holds more than one JSON object; each is read as a call.");
            if (ToCall(value, blockNumber, problems) is { } call)
                calls.Add(call);

            while (offset < bytes.Length && bytes[offset] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)',')
                offset++;
            if (offset < bytes.Length && bytes[offset] != (byte)'{')
            {
                problems.Add($"Tool call {blockNumber}: text after the JSON was ignored: {Excerpt(Encoding.UTF8.GetString(bytes, offset, bytes.Length - offset))}");
                return;
            }
        }
    }

    private static ToolCall? ToCall(JsonElement value, int blockNumber, List<string> problems)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"Tool call {blockNumber}: expected a JSON object with \"name\" and \"arguments\", found {Describe(value.ValueKind)}.");
            return null;
        }
        if (!value.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(nameElement.GetString()))
        {
            problems.Add($"Tool call {blockNumber}: \"name\" is missing or not a non-empty string.");
            return null;
        }
        var name = nameElement.GetString()!.Trim();

        if (!value.TryGetProperty("arguments", out var arguments))
        {
            if (value.TryGetProperty("parameters", out arguments))
                problems.Add($"Tool call {blockNumber} ({name}): the arguments are under \"parameters\" instead of \"arguments\".");
            else
                return new ToolCall(name, "{}");
        }

        switch (arguments.ValueKind)
        {
            case JsonValueKind.Object:
                return new ToolCall(name, arguments.GetRawText());
            case JsonValueKind.Null:
                problems.Add($"Tool call {blockNumber} ({name}): \"arguments\" is null; read as {{}}.");
                return new ToolCall(name, "{}");
            case JsonValueKind.String when TryParseObject(arguments.GetString()!, out var decoded):
                problems.Add($"Tool call {blockNumber} ({name}): \"arguments\" is a JSON string holding an object; decoded it.");
                return new ToolCall(name, decoded);
            default:
                problems.Add($"Tool call {blockNumber} ({name}): \"arguments\" must be a JSON object, found {Describe(arguments.ValueKind)}.");
                return null;
        }
    }

    private static bool TryParseObject(string json, out string objectJson)
    {
        objectJson = string.Empty;
        try
        {
            using var document = JsonDocument.Parse(json, Lenient);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return false;
            objectJson = document.RootElement.GetRawText();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // Some models wrap the JSON in a Markdown code fence inside the tags.
    private static string StripCodeFence(string body)
    {
        if (!body.StartsWith("```", StringComparison.Ordinal))
            return body;
        var firstLineEnd = body.IndexOf('\n', StringComparison.Ordinal);
        if (firstLineEnd < 0)
            return body;
        var inner = body[(firstLineEnd + 1)..].TrimEnd();
        return inner.EndsWith("```", StringComparison.Ordinal) ? inner[..^3].Trim() : inner.Trim();
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an object",
    };

    private static string Excerpt(string text)
    {
        var trimmed = text.Trim();
        return Quoting.Quote(trimmed.Length <= 60 ? trimmed : trimmed[..60] + "…");
    }
}
