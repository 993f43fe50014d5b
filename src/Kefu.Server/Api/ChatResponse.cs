using Kefu.Service.Dialogue;
using Kefu.Service.Tools;

namespace Kefu.Server.Api;

/// <summary>Reply of <c>POST /chat</c>.</summary>
internal sealed record ChatResponse(
    string SessionId,
    string Reply,
    IReadOnlyList<SourceCitation> Sources,
    IReadOnlyList<ToolCallRecord> ToolCalls,
    bool Handoff,
    SessionState State,
    string Intent,
    double LatencyMs)
{
    public static ChatResponse From(TurnResult turn) =>
        new(turn.SessionId, turn.Reply, turn.Sources, turn.ToolCalls, turn.Handoff, turn.State, turn.Intent, turn.LatencyMilliseconds);
}
