using Kefu.Service.Dialogue;

namespace Kefu.Server.Api;

/// <summary>
/// A conversation as an agent reads it: state, why it was handed over and to whom, its remembered slots, every
/// message, and the turn log with each turn's route reason and tool calls (personal data masked in the log).
/// </summary>
internal sealed record AgentSessionView(
    string SessionId, SessionState State, string? HandoffReason, string? AssignedAgent, DateTimeOffset? QueuedAt,
    IReadOnlyDictionary<string, string> Slots, IReadOnlyList<SessionMessage> Messages, IReadOnlyList<TurnLogEntry> Turns)
{
    public static AgentSessionView From(Session session, SessionHistory history) =>
        new(session.Id, session.State, session.HandoffReason, session.AssignedAgent, session.QueuedAt, session.Slots, history.Messages, history.Turns);
}
