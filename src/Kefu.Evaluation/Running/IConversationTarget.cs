namespace Kefu.Evaluation.Running;

/// <summary>Something that holds a conversation: a Kefu server over HTTP, or a bare chat model.</summary>
public interface IConversationTarget
{
    /// <summary>A short description for reports ("http://127.0.0.1:5180/", "model qwen2-0.5b + adapter").</summary>
    string Description { get; }

    /// <summary>Sends <paramref name="turns"/> in order in one new conversation and reports what happened.</summary>
    Task<ConversationObservation> RunAsync(IReadOnlyList<string> turns, CancellationToken cancellationToken);
}
