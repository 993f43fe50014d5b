namespace Kefu.Evaluation.Running;

/// <summary>A tool call the target made: name, arguments as JSON, and its outcome (ok, failed, …).</summary>
public sealed record ObservedToolCall(string Name, string Arguments, string Outcome);
