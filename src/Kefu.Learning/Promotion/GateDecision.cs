namespace Kefu.Learning.Promotion;

/// <summary>Whether the candidate adapter may replace the one in service, with one line per gated metric.</summary>
public sealed record GateDecision(bool Promote, IReadOnlyList<string> Reasons);
