using Kefu.Evaluation.Gating;
using Kefu.Evaluation.Judging;
using Kefu.Evaluation.Reporting;

namespace Kefu.Evaluation;

/// <summary>How one evaluation runs besides its target and scenarios.</summary>
public sealed record EvaluationOptions
{
    public IReadOnlyList<Gate> Gates { get; init; } = [];

    /// <summary>An earlier run to compare with (bootstrap CIs), and its label.</summary>
    public EvalReport? Before { get; init; }

    public string? BeforeLabel { get; init; }

    public LlmJudge? Judge { get; init; }

    /// <summary>Conversations in flight at once.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>The bootstrap's seed.</summary>
    public int Seed { get; init; } = 12345;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public Action<int, int>? OnProgress { get; init; }
}
