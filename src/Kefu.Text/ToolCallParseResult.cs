namespace Kefu.Text;

/// <summary>
/// What <see cref="ToolCallParser"/> found in a model's output: <paramref name="Text"/> is the output without its
/// <c>&lt;tool_call&gt;</c> blocks (trimmed when there were any), <paramref name="Calls"/> the usable calls in order,
/// and <paramref name="Problems"/> one line per deviation from the format (a call with a problem is listed in
/// <paramref name="Calls"/> only when it could still be used).
/// </summary>
public sealed record ToolCallParseResult(string Text, IReadOnlyList<ToolCall> Calls, IReadOnlyList<string> Problems)
{
    /// <summary>True when the output followed the format exactly.</summary>
    public bool IsClean => Problems.Count == 0;
}
