using Kefu.Service.Responding;
using Kefu.Service.Routing;

namespace Kefu.Service.Dialogue;

/// <summary>
/// Decides after each turn whether a person takes over: when the customer asks, when a complaint needs one, when the
/// customer is strongly upset, when a responder or a guard says so (a safety event), or after <see cref="KefuServiceOptions.UnresolvedTurnsBeforeHandoff"/> unanswered turns in a
/// row (an answered turn resets the count; a customer saying the last answer did not help counts it as unanswered).
/// </summary>
internal static class HandoffPolicy
{
    public static HandoffReason? Apply(Session session, RouteDecision route, ResponderReply reply, int unresolvedLimit)
    {
        // "你还是没说清楚": the previous answer did not help after all, and repeating it does not help now.
        var resolved = reply.Resolved && !(route.RejectsPreviousAnswer && reply.ToolCalls.Count == 0);
        if (route.RejectsPreviousAnswer)
            session.UnresolvedTurns = Math.Max(session.UnresolvedTurns, 1);
        session.UnresolvedTurns = resolved ? 0 : session.UnresolvedTurns + 1;
        HandoffReason? reason =
            route.Intent == TurnIntent.HumanRequest ? HandoffReason.Requested
            : route.Escalate ? HandoffReason.Complaint
            : route.StronglyNegative ? HandoffReason.NegativeSentiment
            : reply.Handoff is { } requested ? requested
            : session.UnresolvedTurns >= unresolvedLimit ? HandoffReason.Unresolved
            : null;
        if (reason is not null)
        {
            session.State = SessionState.WaitingForHuman;
            session.UnresolvedTurns = 0;
            session.Pending = null;
        }
        return reason;
    }
}
