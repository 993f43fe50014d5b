using Kefu.Service.Knowledge;

namespace Kefu.Service.Routing;

/// <summary>The router's verdict on a turn, with the reason in words so a person can see why.</summary>
/// <param name="Intent">The classification.</param>
/// <param name="Action">For order queries, the operation asked for.</param>
/// <param name="Reason">Why: the rule that matched, the retrieval score, or the model's label.</param>
/// <param name="Hits">Knowledge found for the turn (searched for every turn that might be a question).</param>
/// <param name="Upset">Whether the customer sounds upset (an apology comes first, whatever else is answered).</param>
/// <param name="Escalate">Whether policy sends this turn to a human at once (a formal complaint).</param>
/// <param name="RejectsPreviousAnswer">Whether the customer says the previous answer did not help.</param>
/// <param name="StronglyNegative">Whether the customer is strongly upset (<see cref="NegativeSentiment"/>): a hand-off trigger.</param>
public sealed record RouteDecision(
    TurnIntent Intent, OrderAction Action, string Reason, IReadOnlyList<KnowledgeHit> Hits, bool Upset, bool Escalate = false,
    bool RejectsPreviousAnswer = false, bool StronglyNegative = false)
{
    /// <summary>The best hit's confidence, or 0 when nothing was found.</summary>
    public double BestConfidence => Hits.Count == 0 ? 0 : Hits[0].Confidence;
}
