using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace Kefu.Evaluation.Running;

/// <summary>
/// A bare chat model through <see cref="IChatClient"/> (an in-process Qwen2 with an adapter, or any
/// OpenAI-compatible endpoint): no knowledge base, no tools, no hand-off — it measures what the weights alone know,
/// which is what a training run changes.
/// </summary>
public sealed class ChatClientTarget(IChatClient client, string description, string? systemPrompt = null, ChatOptions? options = null) : IConversationTarget
{
    public string Description { get; } = description;

    public async Task<ConversationObservation> RunAsync(IReadOnlyList<string> turns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turns);
        var history = new List<ChatMessage>();
        if (!string.IsNullOrWhiteSpace(systemPrompt))
            history.Add(new ChatMessage(ChatRole.System, systemPrompt));
        var replies = new List<string>();
        var latencies = new List<double>();
        foreach (var turn in turns)
        {
            history.Add(new ChatMessage(ChatRole.User, turn));
            var started = Stopwatch.GetTimestamp();
            var response = await client.GetResponseAsync(history, options, cancellationToken).ConfigureAwait(false);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            replies.Add(response.Text);
            history.AddRange(response.Messages);
        }
        return new ConversationObservation(replies, [], false, [], latencies, null);
    }
}
