using Kefu.Service.Dialogue;
using Kefu.Service.Tools;

namespace Kefu.Server.Api.Ui;

// What the customer channel sends and receives. Kept apart from the agent views: a customer never sees the turn
// log, the hand-off reason's internals or the agent's account name.

/// <summary>The shop's face in the chat: names, service hours and the one-tap questions.</summary>
internal sealed record CustomerConfig(string ShopName, string AssistantName, string? HumanServiceHours, IReadOnlyList<string> QuickReplies);

/// <summary>A piece of the reply as it streams.</summary>
internal sealed record CustomerDelta(string Text);

/// <summary>Why a turn failed, in words for the customer.</summary>
internal sealed record CustomerError(string Message);

/// <summary>A customer's 1–5 rating of a conversation.</summary>
internal sealed record CustomerRatingRequest(int? Score, string? Comment);

/// <summary>The end of a streamed turn: the whole reply and what the page shows around it.</summary>
internal sealed record CustomerTurn(
    string SessionId, string Reply, IReadOnlyList<SourceCitation> Sources, IReadOnlyList<string> Tools, bool Handoff, SessionState State,
    int QueuePosition, OrderCard? Order)
{
    public static CustomerTurn From(TurnResult turn, int queuePosition, OrderCard? order) =>
        new(turn.SessionId, turn.Reply, turn.Sources, [.. turn.ToolCalls.Select(c => c.Name)], turn.Handoff, turn.State, queuePosition, order);
}

/// <summary>A conversation as its customer polls it while a person has it: state, place in line, the messages.</summary>
internal sealed record CustomerSessionView(string SessionId, SessionState State, int QueuePosition, IReadOnlyList<SessionMessage> Messages)
{
    public static CustomerSessionView From(Session session, int queuePosition) =>
        new(session.Id, session.State, queuePosition, session.Messages);
}

/// <summary>An order as the chat shows it in a card (no address or phone: the card is for recognising the order).</summary>
internal sealed record OrderCard(
    string OrderId, string Status, IReadOnlyList<OrderCardItem> Items, decimal Amount, DateTimeOffset? PaidAt, string? Carrier, string? TrackingNo);

/// <summary>One line of an <see cref="OrderCard"/>.</summary>
internal sealed record OrderCardItem(string Name, int Quantity, decimal Price);

/// <summary>A stored satisfaction rating.</summary>
internal sealed record SatisfactionRating(string SessionId, int Score, string? Comment, DateTimeOffset At);

/// <summary>Tool-call names as the order card looks for them.</summary>
internal static class OrderTools
{
    public static bool ShowsOrder(ToolCallRecord call) =>
        call.Outcome == "success" && (call.Name is "query_order" or "track_logistics");
}
