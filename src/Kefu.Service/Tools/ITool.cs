using System.Text.Json;

namespace Kefu.Service.Tools;

/// <summary>
/// Something the assistant can do in the enterprise's systems, described by a JSON schema so a model can call it
/// (OpenAI function format, which Qwen2.5's chat template renders into its tool prompt).
/// </summary>
public interface ITool
{
    string Name { get; }

    string Description { get; }

    /// <summary>The JSON schema of the arguments object.</summary>
    JsonElement ParametersSchema { get; }

    /// <summary>Whether the customer must say yes before the call (it changes something that cannot be undone).</summary>
    bool RequiresConfirmation { get; }

    /// <summary>Runs the tool with arguments already validated against <see cref="ParametersSchema"/>.</summary>
    Task<ToolResult> InvokeAsync(JsonElement arguments, CancellationToken cancellationToken);
}
