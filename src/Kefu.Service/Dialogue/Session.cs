namespace Kefu.Service.Dialogue;

/// <summary>
/// A conversation's state between turns: who is answering, what the customer has told us (slots such as the
/// order number), how many turns in a row went unanswered, a prepared tool call, and the recent messages.
/// </summary>
public sealed class Session
{
    public required string Id { get; init; }

    public SessionState State { get; set; } = SessionState.Bot;

    /// <summary>Remembered facts by slot name (<see cref="SlotNames"/>): the latest value wins.</summary>
    public Dictionary<string, string> Slots { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Turns in a row the assistant could not answer; reset by an answered turn.</summary>
    public int UnresolvedTurns { get; set; }

    public PendingAction? Pending { get; set; }

    /// <summary>When the conversation joined the agent queue (its place in line); null when not queued.</summary>
    public DateTimeOffset? QueuedAt { get; set; }

    /// <summary>Why it went to a human (snake_case <see cref="Responding.HandoffReason"/>); null when with the bot.</summary>
    public string? HandoffReason { get; set; }

    /// <summary>The agent who claimed the conversation; null while it waits or is with the bot.</summary>
    public string? AssignedAgent { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// How many messages the conversation has stored in all, as of loading: the sequence number of its last message
    /// (messages are numbered 1, 2, … in the order they were stored; <see cref="Messages"/> is the tail, so its last
    /// message is number <see cref="MessageCount"/>). The customer's live stream uses it as the event id.
    /// </summary>
    public int MessageCount { get; set; }

    /// <summary>How many messages the customer has sent in the conversation (all stored, not only the loaded tail).</summary>
    public int CustomerTurns { get; set; }

    /// <summary>The most recent messages, oldest first (as many as the store loads, not the whole history).</summary>
    public List<SessionMessage> Messages { get; init; } = [];

    /// <summary>Whether the session lives only for one request (OpenAI-style calls carrying their own history).</summary>
    public bool IsTransient { get; init; }
}
