namespace Kefu.Safety.Injection;

/// <summary>One rule that fired on a message.</summary>
/// <param name="RuleId">The rule's id ("zh.override.ignore-previous").</param>
/// <param name="Reason">What kind of manipulation it indicates.</param>
/// <param name="Weight">How strongly it alone indicates an injection, 0..1.</param>
/// <param name="Evidence">The text that matched (normalised).</param>
public sealed record InjectionFinding(string RuleId, InjectionReason Reason, double Weight, string Evidence);
