namespace Kefu.Service.Dialogue;

/// <summary>The conversation log's record of one turn, kept for analytics and for learning from real traffic.</summary>
/// <param name="At">When the turn was handled.</param>
/// <param name="Intent">The router's classification.</param>
/// <param name="Reason">Why the router classified it so.</param>
/// <param name="Confidence">The best knowledge confidence, when the knowledge base was searched.</param>
/// <param name="ToolCallsJson">The tool calls made, as JSON.</param>
/// <param name="Resolved">Whether the turn was answered (not "don't know", not a failed tool).</param>
/// <param name="Handoff">Whether the turn handed the conversation to a human.</param>
/// <param name="LatencyMilliseconds">Time spent on the turn.</param>
public sealed record TurnLogEntry(
    DateTimeOffset At, string Intent, string Reason, double? Confidence, string ToolCallsJson, bool Resolved, bool Handoff, double LatencyMilliseconds);
