using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kefu.Service.Dialogue;

namespace Kefu.Server.Api;

/// <summary>
/// OpenAI's chat completion and chunk objects for a Kefu turn. Kefu's own details (session, sources, tool calls,
/// hand-off) ride along in a <c>kefu</c> field, which OpenAI clients ignore.
/// </summary>
internal static class OpenAiFormat
{
    private const int StreamPieceCharacters = 12;

    public static string NewId() => "chatcmpl-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public static JsonObject Completion(string id, long created, string model, TurnResult turn, int promptTokens, int completionTokens) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion",
        ["created"] = created,
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = turn.Reply },
            ["finish_reason"] = "stop",
        }),
        ["usage"] = new JsonObject
        {
            ["prompt_tokens"] = promptTokens,
            ["completion_tokens"] = completionTokens,
            ["total_tokens"] = promptTokens + completionTokens,
        },
        ["kefu"] = Extension(turn),
    };

    /// <summary>The first chunk of a stream: the assistant's role.</summary>
    public static JsonObject RoleChunk(string id, long created, string model) =>
        Chunk(id, created, model, new JsonObject { ["role"] = "assistant", ["content"] = "" }, null);

    public static JsonObject ContentChunk(string id, long created, string model, string text) =>
        Chunk(id, created, model, new JsonObject { ["content"] = text }, null);

    /// <summary>The last chunk: the finish reason, with Kefu's details of the turn.</summary>
    public static JsonObject FinalChunk(string id, long created, string model, TurnResult turn)
    {
        var last = Chunk(id, created, model, new JsonObject(), "stop");
        last["kefu"] = Extension(turn);
        return last;
    }

    public static JsonObject Models(string model, long created) => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray(new JsonObject { ["id"] = model, ["object"] = "model", ["created"] = created, ["owned_by"] = "kefu" }),
    };

    /// <summary>Splits a reply after punctuation, or every few characters, the way a model streams it.</summary>
    internal static IEnumerable<string> Pieces(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var boundary = "，。！？；：、\n,.!?;".Contains(text[i], StringComparison.Ordinal) || i - start + 1 >= StreamPieceCharacters;
            if (boundary && !char.IsHighSurrogate(text[i]))
            {
                yield return text[start..(i + 1)];
                start = i + 1;
            }
        }
        if (start < text.Length)
            yield return text[start..];
    }

    private static JsonObject Chunk(string id, long created, string model, JsonObject delta, string? finishReason) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion.chunk",
        ["created"] = created,
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason }),
    };

    private static JsonObject Extension(TurnResult turn) => new()
    {
        ["session_id"] = turn.SessionId,
        ["intent"] = turn.Intent,
        ["handoff"] = turn.Handoff,
        ["latency_ms"] = turn.LatencyMilliseconds,
        ["sources"] = new JsonArray([.. turn.Sources.Select(s => (JsonNode)new JsonObject
        {
            ["source"] = s.Source,
            ["anchor"] = s.Anchor,
            ["title"] = s.Title,
            ["confidence"] = s.Confidence,
        })]),
        ["tool_calls"] = new JsonArray([.. turn.ToolCalls.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name,
            ["arguments"] = c.Arguments,
            ["outcome"] = c.Outcome,
            ["duration_ms"] = c.DurationMilliseconds,
        })]),
    };

    public static long UnixSeconds(DateTimeOffset time) => time.ToUnixTimeSeconds();

    public static string Serialize(JsonObject value, JsonSerializerOptions options) => value.ToJsonString(options);
}
