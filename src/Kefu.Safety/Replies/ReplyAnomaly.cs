namespace Kefu.Safety.Replies;

/// <summary>One problem found in a reply, with a detail for logs ("4-gram repetition 0.62 > 0.40").</summary>
public sealed record ReplyAnomaly(ReplyAnomalyKind Kind, string Detail);
