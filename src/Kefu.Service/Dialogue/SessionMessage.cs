namespace Kefu.Service.Dialogue;

/// <summary>One message of a conversation as stored: who said it, what, and when.</summary>
/// <param name="Role">user, assistant (the bot) or agent (a human).</param>
/// <param name="Content">The text.</param>
/// <param name="At">When it was said.</param>
public sealed record SessionMessage(string Role, string Content, DateTimeOffset At)
{
    public const string User = "user";
    public const string Assistant = "assistant";
    public const string Agent = "agent";
}
