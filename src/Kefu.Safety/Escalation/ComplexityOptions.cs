namespace Kefu.Safety.Escalation;

/// <summary>Weights and thresholds of <see cref="ComplexityScorer"/>.</summary>
public sealed record ComplexityOptions
{
    /// <summary>Score from which a turn is routed to the larger backend.</summary>
    public double EscalationThreshold { get; init; } = 0.5;

    /// <summary>Added per question beyond the first.</summary>
    public double PerExtraQuestion { get; init; } = 0.25;

    /// <summary>Added per connective that opens another topic (另外, 还有, 以及, 顺便…).</summary>
    public double PerConnective { get; init; } = 0.15;

    /// <summary>Cap on what questions and connectives add together.</summary>
    public double MultiPartCap { get; init; } = 0.6;

    /// <summary>Messages longer than this many characters add <see cref="LongMessage"/>.</summary>
    public int LongMessageLength { get; init; } = 80;

    public double LongMessage { get; init; } = 0.1;

    /// <summary>Retrieval confidence below this adds <see cref="LowRetrieval"/>.</summary>
    public double LowRetrievalConfidence { get; init; } = 0.35;

    public double LowRetrieval { get; init; } = 0.3;

    /// <summary>Added per recent unresolved turn, up to <see cref="FailureCap"/>.</summary>
    public double PerRecentFailure { get; init; } = 0.25;

    public double FailureCap { get; init; } = 0.5;
}
