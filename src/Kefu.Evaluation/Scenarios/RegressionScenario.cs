namespace Kefu.Evaluation.Scenarios;

/// <summary>One regression scenario: the customer's turns and what the final reply must (and must not) do.</summary>
/// <param name="Id">The scenario id (e.g. reg-001).</param>
/// <param name="Turns">Customer messages, sent in order in one session.</param>
/// <param name="Expect">The expectations on the conversation's outcome.</param>
/// <param name="Tags">Categories (returns, shipping, …); the first is the scenario's category in breakdowns.</param>
/// <param name="Line">The line of the regression file it came from.</param>
public sealed record RegressionScenario(string Id, IReadOnlyList<string> Turns, ScenarioExpectation Expect, IReadOnlyList<string> Tags, int Line)
{
    /// <summary>The category the breakdowns file it under: the first tag, or "untagged".</summary>
    public string Category => Tags.Count > 0 ? Tags[0] : "untagged";
}
