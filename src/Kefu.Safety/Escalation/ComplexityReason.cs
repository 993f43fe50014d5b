namespace Kefu.Safety.Escalation;

/// <summary>One contribution to a complexity score ("3 questions in one message", +0.40).</summary>
public sealed record ComplexityReason(string Code, string Detail, double Contribution);
