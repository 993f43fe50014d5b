namespace Kefu.Text;

/// <summary>
/// A call of a tool by the model: the tool's name and its arguments as a JSON object
/// (e.g. <c>{"order_id": "ORD12345"}</c>).
/// </summary>
public sealed record ToolCall(string Name, string ArgumentsJson);
