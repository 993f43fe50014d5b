using System.Text.Json.Serialization;

namespace Kefu.Service.Tools;

/// <summary>A tool call as reported to clients and logged: name, arguments, outcome and time taken.</summary>
/// <param name="Name">The tool.</param>
/// <param name="Arguments">The arguments, as JSON.</param>
/// <param name="Outcome">How it ended (<see cref="ToolOutcome"/> name, snake_case).</param>
/// <param name="DurationMilliseconds">Wall time of the call.</param>
/// <param name="Message">Why it did not succeed, when it did not.</param>
public sealed record ToolCallRecord(
    string Name,
    string Arguments,
    string Outcome,
    [property: JsonPropertyName("duration_ms")] double DurationMilliseconds,
    string? Message);
