using Kefu.Service.Tools;

namespace Kefu.Service.Dialogue;

/// <summary>The outcome of one customer turn, as the chat API returns it.</summary>
/// <param name="SessionId">The conversation (new when the request named none).</param>
/// <param name="Reply">What the assistant says; empty while a human agent has the conversation.</param>
/// <param name="Sources">The knowledge the reply rests on.</param>
/// <param name="ToolCalls">The tool calls made for the turn.</param>
/// <param name="Handoff">Whether the conversation is with (or waiting for) a human after this turn.</param>
/// <param name="State">The session's state after the turn.</param>
/// <param name="Intent">The router's classification.</param>
/// <param name="RouteReason">Why the router classified it so.</param>
/// <param name="LatencyMilliseconds">Time the service spent on the turn.</param>
public sealed record TurnResult(
    string SessionId,
    string Reply,
    IReadOnlyList<SourceCitation> Sources,
    IReadOnlyList<ToolCallRecord> ToolCalls,
    bool Handoff,
    SessionState State,
    string Intent,
    string RouteReason,
    double LatencyMilliseconds);
