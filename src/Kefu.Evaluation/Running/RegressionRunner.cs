using Kefu.Evaluation.Judging;
using Kefu.Evaluation.Scenarios;
using Kefu.Evaluation.Scoring;

namespace Kefu.Evaluation.Running;

/// <summary>
/// Runs every scenario against a target (a few at a time) and scores it. A scenario whose run fails is recorded as
/// failed with the error, and the run goes on: one server hiccup must not hide the other 79 results.
/// </summary>
public sealed class RegressionRunner(IConversationTarget target, LlmJudge? judge = null, int parallelism = 4)
{
    /// <summary>Told after each scenario (done, total).</summary>
    public Action<int, int>? OnProgress { get; init; }

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(IReadOnlyList<RegressionScenario> scenarios, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        var results = new ScenarioResult[scenarios.Count];
        var done = 0;
        await Parallel.ForAsync(0, scenarios.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                results[i] = await RunOneAsync(scenarios[i], ct).ConfigureAwait(false);
                OnProgress?.Invoke(Interlocked.Increment(ref done), scenarios.Count);
            }).ConfigureAwait(false);
        return results;
    }

    private async Task<ScenarioResult> RunOneAsync(RegressionScenario scenario, CancellationToken cancellationToken)
    {
        ConversationObservation observation;
        try
        {
            observation = await target.RunAsync(scenario.Turns, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            return ScenarioScorer.Failed(scenario, e.Message);
        }
        var result = ScenarioScorer.Score(scenario, observation);
        if (judge is not null)
            result = result with { JudgeScore = await judge.ScoreAsync(scenario, result.Reply, cancellationToken).ConfigureAwait(false) };
        return result;
    }
}
