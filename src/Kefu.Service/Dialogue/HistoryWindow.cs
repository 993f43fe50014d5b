namespace Kefu.Service.Dialogue;

/// <summary>
/// Chooses the recent messages that fit a token budget: newest first until the next would not fit. The budget,
/// not a fixed count of messages, decides, so a conversation of short messages keeps more context than one with
/// long pasted text, and the model's context is never overrun.
/// </summary>
public static class HistoryWindow
{
    /// <summary>Per-message overhead of the chat template (role markers, separators), in tokens.</summary>
    public const int MessageOverheadTokens = 4;

    public static List<SessionMessage> Select(IReadOnlyList<SessionMessage> messages, int budgetTokens, ITokenCounter counter)
    {
        var selected = new List<SessionMessage>();
        var used = 0;
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            var cost = counter.CountTokens(messages[i].Content) + MessageOverheadTokens;
            if (used + cost > budgetTokens)
                break;
            used += cost;
            selected.Add(messages[i]);
        }
        selected.Reverse();
        return selected;
    }
}
