using System.Text.Json.Nodes;

namespace Kefu.Evaluation.Scenarios;

/// <summary>An expected tool call: the tool's name and a subset of its arguments that must match exactly.</summary>
public sealed record ExpectedToolCall(string Name, JsonObject Arguments)
{
    /// <summary>True when <paramref name="name"/> is this tool and every expected argument has the same JSON value in <paramref name="argumentsJson"/>.</summary>
    public bool Matches(string name, string argumentsJson)
    {
        if (!string.Equals(name, Name, StringComparison.Ordinal))
            return false;
        JsonObject? actual;
        try
        {
            actual = JsonNode.Parse(argumentsJson) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
        if (actual is null)
            return false;
        foreach (var (key, expected) in Arguments)
        {
            if (!actual.TryGetPropertyValue(key, out var value) || !JsonNode.DeepEquals(expected, value))
                return false;
        }
        return true;
    }
}
