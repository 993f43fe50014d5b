using Microsoft.Extensions.AI;

namespace Kefu.Service.Responding;

/// <summary>
/// The models the service may use, all as <see cref="IChatClient"/> so the brain never knows where they run
/// (in-process Qwen2, vLLM, llama.cpp, Ollama). With no primary model the service answers in retrieval-only mode.
/// </summary>
/// <param name="Primary">The everyday model, or null for retrieval-only.</param>
/// <param name="PrimaryName">The name reported to clients (/v1/models).</param>
/// <param name="Escalation">A larger model for turns after the primary failed to answer, or null.</param>
public sealed record ChatBackends(IChatClient? Primary, string PrimaryName, IChatClient? Escalation)
{
    /// <summary>The name reported when no model is configured.</summary>
    public const string RetrievalOnlyName = "kefu-retrieval";

    public static ChatBackends RetrievalOnly { get; } = new(null, RetrievalOnlyName, null);
}
