namespace Kefu.Text;

/// <summary>
/// One message of a conversation. <paramref name="Role"/> is <c>system</c>, <c>user</c>, <c>assistant</c> or
/// <c>tool</c> (a tool's result). <paramref name="Content"/> is what the person, model or tool wrote: the chat
/// template encodes it as plain text, so control-token strings inside it never become control tokens.
/// </summary>
public sealed record ChatTurn(string Role, string Content)
{
    public const string System = "system";
    public const string User = "user";
    public const string Assistant = "assistant";
    public const string Tool = "tool";

    /// <summary>The tool calls an assistant turn makes (after its content, if any).</summary>
    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];
}
