using Kefu.Service.Knowledge;
using Kefu.Service.Tools;

namespace Kefu.Service.Responding;

/// <summary>What a responder produced for a turn.</summary>
/// <param name="Text">The reply to the customer.</param>
/// <param name="Cited">The knowledge the reply rests on (its sources).</param>
/// <param name="ToolCalls">The tool calls made for it.</param>
/// <param name="Resolved">Whether the turn was answered; an unanswered turn counts toward hand-off.</param>
/// <param name="Handoff">A reason to hand off now, regardless of the unresolved count.</param>
/// <param name="ClosesSession">Whether the customer has said goodbye (the session becomes resolved).</param>
/// <param name="Streamed">Whether <see cref="Text"/> has already been sent to the caller's stream.</param>
/// <param name="Generated">Whether a model wrote <see cref="Text"/> (then the output guard checks it; templates are trusted).</param>
/// <param name="ToolResults">The tool results the model saw, as given to it (the anomaly check compares the reply with them).</param>
public sealed record ResponderReply(
    string Text,
    IReadOnlyList<KnowledgeHit> Cited,
    IReadOnlyList<ToolCallRecord> ToolCalls,
    bool Resolved,
    HandoffReason? Handoff = null,
    bool ClosesSession = false,
    bool Streamed = false,
    bool Generated = false,
    IReadOnlyList<string>? ToolResults = null)
{
    public static ResponderReply Answered(string text) => new(text, [], [], Resolved: true);

    public static ResponderReply Unanswered(string text) => new(text, [], [], Resolved: false);
}
