namespace Kefu.Evaluation.Gating;

/// <summary>A gate checked against a run: the metric's value (null when the run lacks it) and whether it passed.</summary>
public sealed record GateOutcome(string Gate, double? Value, bool Passed);
