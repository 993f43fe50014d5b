using Kefu.Model.Generation;
using Kefu.Text;

namespace Kefu.Model.Chat;

/// <summary>Settings of a <see cref="Qwen2ChatClient"/> that a request's ChatOptions do not carry.</summary>
public sealed record Qwen2ChatClientOptions
{
    /// <summary>Reported as the model id of responses (ChatOptions.ModelId is only echoed; one client serves one model).</summary>
    public string ModelId { get; init; } = "qwen2";

    /// <summary>Sampling used where a request's ChatOptions leave a setting open.</summary>
    public GenerationOptions Defaults { get; init; } = GenerationOptions.Greedy;

    /// <summary>Chat template; null lets Kefu.Text pick (Qwen2.5's when tools are involved, Qwen2's otherwise).</summary>
    public ChatTemplateFlavor? TemplateFlavor { get; init; }

    /// <summary>Clock for response timestamps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
