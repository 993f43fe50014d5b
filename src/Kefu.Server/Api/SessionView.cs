using Kefu.Service.Dialogue;

namespace Kefu.Server.Api;

/// <summary>A conversation as clients and agents read it: state, remembered slots and recent messages.</summary>
internal sealed record SessionView(
    string SessionId, SessionState State, IReadOnlyDictionary<string, string> Slots, int UnresolvedTurns,
    DateTimeOffset UpdatedAt, IReadOnlyList<SessionMessage> Messages, string? HandoffReason = null, string? AssignedAgent = null)
{
    public static SessionView From(Session session) =>
        new(session.Id, session.State, session.Slots, session.UnresolvedTurns, session.UpdatedAt, session.Messages, session.HandoffReason, session.AssignedAgent);
}
