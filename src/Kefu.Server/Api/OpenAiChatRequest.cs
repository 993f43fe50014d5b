using System.Text.Json;

namespace Kefu.Server.Api;

/// <summary>Body of <c>POST /v1/chat/completions</c> (the fields Kefu reads; others are accepted and ignored).</summary>
internal sealed record OpenAiChatRequest(string? Model, List<OpenAiMessage>? Messages, bool? Stream);

/// <summary>An OpenAI chat message: content is a string or a list of parts (text parts are read).</summary>
internal sealed record OpenAiMessage(string? Role, JsonElement Content)
{
    public string? Text() => Content.ValueKind switch
    {
        JsonValueKind.String => Content.GetString(),
        JsonValueKind.Array => string.Concat(Content.EnumerateArray()
            .Where(part => part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            .Select(part => part.GetProperty("text").GetString())),
        _ => null,
    };
}
