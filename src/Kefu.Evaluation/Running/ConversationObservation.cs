namespace Kefu.Evaluation.Running;

/// <summary>What happened when a scenario's turns were sent: the replies, tool calls, hand-off, cited pages, time.</summary>
/// <param name="Replies">The assistant's reply to each turn, in order.</param>
/// <param name="ToolCalls">Every tool call of the conversation, in order.</param>
/// <param name="Handoff">Whether the conversation was with (or waiting for) a human after the last turn.</param>
/// <param name="SourceTitles">Titles of the knowledge the final reply cited.</param>
/// <param name="TurnLatenciesMs">Wall time of each turn as the client saw it (request to full response).</param>
/// <param name="Intent">The router's intent for the last turn, when the target reports one.</param>
public sealed record ConversationObservation(
    IReadOnlyList<string> Replies,
    IReadOnlyList<ObservedToolCall> ToolCalls,
    bool Handoff,
    IReadOnlyList<string> SourceTitles,
    IReadOnlyList<double> TurnLatenciesMs,
    string? Intent)
{
    public string FinalReply => Replies.Count > 0 ? Replies[^1] : "";
}
