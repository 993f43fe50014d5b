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

/// <summary>
/// The end of a streamed turn: the whole reply and what the page shows around it. <c>Seq</c> is the number of the
/// conversation's last stored message: the live stream (<c>events?after=seq</c>) carries on from there.
/// <c>TurnLimitReached</c>: the message was not taken, the conversation is at its limit.
/// </summary>
internal sealed record CustomerTurn(
    string SessionId, string Reply, IReadOnlyList<SourceCitation> Sources, IReadOnlyList<string> Tools, bool Handoff, SessionState State,
    int QueuePosition, OrderCard? Order, int Seq, bool TurnLimitReached)
{
    public static CustomerTurn From(TurnResult turn, int queuePosition, OrderCard? order, int seq) =>
        new(turn.SessionId, turn.Reply, turn.Sources, [.. turn.ToolCalls.Select(c => c.Name)], turn.Handoff, turn.State, queuePosition, order, seq,
            turn.Intent == ConversationLimitHandoff.Reason);
}

/// <summary>A stored message as the customer sees it, with its number in the conversation (1, 2, …; the live stream's event id).</summary>
internal sealed record CustomerMessage(int Seq, string Role, string Content, DateTimeOffset At)
{
    /// <summary>The loaded tail of <paramref name="session"/>, numbered: its last message is number <see cref="Session.MessageCount"/>.</summary>
    public static IEnumerable<CustomerMessage> Tail(Session session)
    {
        var first = session.MessageCount - session.Messages.Count + 1;
        return session.Messages.Select((m, i) => new CustomerMessage(first + i, m.Role, m.Content, m.At));
    }
}

/// <summary>
/// A conversation as its customer reads it (restoring the page, or polling when the live stream is unavailable):
/// state, place in line, the recent messages and the number of the last one.
/// </summary>
internal sealed record CustomerSessionView(string SessionId, SessionState State, int QueuePosition, int Seq, IReadOnlyList<CustomerMessage> Messages)
{
    public static CustomerSessionView From(Session session, int queuePosition) =>
        new(session.Id, session.State, queuePosition, session.MessageCount, [.. CustomerMessage.Tail(session)]);
}

/// <summary>
/// The live stream's <c>state</c> event: who has the conversation (the agent by the name customers are shown, never
/// the account name), the place in line while waiting, and the number of the last stored message.
/// </summary>
internal sealed record CustomerStreamState(SessionState State, int QueuePosition, string? AgentName, int Seq);

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
