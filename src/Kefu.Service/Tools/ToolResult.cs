using System.Text.Json;

namespace Kefu.Service.Tools;

/// <summary>What a tool call produced: its outcome, typed data on success, and a message explaining anything else.</summary>
public sealed record ToolResult(ToolOutcome Outcome, object? Data, string Message)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static ToolResult Success(object data) => new(ToolOutcome.Success, data, "");

    public static ToolResult Failure(ToolOutcome outcome, string message) => new(outcome, null, message);

    /// <summary>The result as the JSON a model reads back (Chinese kept readable, not \u-escaped).</summary>
    public string ToModelJson() =>
        Outcome == ToolOutcome.Success
            ? JsonSerializer.Serialize(Data, Data?.GetType() ?? typeof(object), Json)
            : JsonSerializer.Serialize(new { error = Outcome.ToString(), message = Message }, Json);
}
