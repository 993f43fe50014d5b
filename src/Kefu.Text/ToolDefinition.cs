namespace Kefu.Text;

/// <summary>
/// A tool the model may call, as the Qwen2.5 template shows it: rendered as
/// <c>{"type": "function", "function": {"name": …, "description": …, "parameters": …}}</c> where parameters is
/// the JSON schema of the arguments object.
/// </summary>
public sealed record ToolDefinition(string Name, string Description, string ParametersJsonSchema);
