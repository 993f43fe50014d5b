namespace Kefu.Safety.Replies;

/// <summary>What the reply answers: the customer's message (for its language) and the turn's tool results.</summary>
/// <param name="CustomerMessage">The latest customer message; null when unknown (then Chinese is assumed).</param>
/// <param name="ToolResults">The turn's tool results as returned to the model (JSON or text).</param>
public sealed record ReplyContext(string? CustomerMessage = null, IReadOnlyList<string>? ToolResults = null)
{
    /// <summary>No customer message and no tool results.</summary>
    public static ReplyContext None { get; } = new();
}
