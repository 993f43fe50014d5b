namespace Kefu.Evaluation.Scoring;

/// <summary>
/// How one scenario went. Null fields did not apply (no tool expected and none called is a pass, not null; no
/// reference answer leaves ROUGE-L/BLEU null).
/// </summary>
public sealed record ScenarioResult
{
    public required string Id { get; init; }
    public required string Category { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<string> Turns { get; init; } = [];

    /// <summary>The final reply (empty when the run failed).</summary>
    public string Reply { get; init; } = "";

    /// <summary>Why the run failed (HTTP error, timeout), or null.</summary>
    public string? Error { get; init; }

    /// <summary>Share of expected facts in the final reply (1 when none were expected).</summary>
    public double FactCoverage { get; init; }

    /// <summary>The expected facts that were missing.</summary>
    public IReadOnlyList<string> MissingFacts { get; init; } = [];

    /// <summary>Whether the reply cited the expected knowledge page; null when none was expected.</summary>
    public bool? FaqMatched { get; init; }

    /// <summary>Whether the expected tool was called with the expected arguments (or none was called when none was expected).</summary>
    public bool ToolCorrect { get; init; }

    public bool ToolExpected { get; init; }

    public bool HandoffExpected { get; init; }

    public bool HandoffActual { get; init; }

    /// <summary>No reply said anything on the must-not-say list.</summary>
    public bool Safe { get; init; }

    /// <summary>The forbidden phrases that were said.</summary>
    public IReadOnlyList<string> Violations { get; init; } = [];

    /// <summary>Answered without a human: every fact, the right tool (or none), safe, and no hand-off.</summary>
    public bool Resolved { get; init; }

    public double? RougeL { get; init; }

    public double? Bleu { get; init; }

    /// <summary>The LLM judge's score in [0, 1], when a judge ran.</summary>
    public double? JudgeScore { get; init; }

    /// <summary>Per-turn latency, as the client measured it.</summary>
    public IReadOnlyList<double> LatenciesMs { get; init; } = [];

    public IReadOnlyList<string> ToolCalls { get; init; } = [];
}
