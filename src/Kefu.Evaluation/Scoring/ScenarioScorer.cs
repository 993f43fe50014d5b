using Kefu.Evaluation.Running;
using Kefu.Evaluation.Scenarios;

namespace Kefu.Evaluation.Scoring;

/// <summary>Scores one conversation against its scenario's expectations (pure: same input, same result).</summary>
public static class ScenarioScorer
{
    public static ScenarioResult Score(RegressionScenario scenario, ConversationObservation observation)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(observation);
        var expect = scenario.Expect;
        var reply = observation.FinalReply;
        var missing = expect.Facts.Where(f => !Contains(reply, f)).ToList();
        var coverage = expect.Facts.Count == 0 ? 1 : 1 - (double)missing.Count / expect.Facts.Count;
        bool? faq = expect.Faq is not { } page ? null : observation.SourceTitles.Any(t => t.Length > 0 && (Contains(t, page) || Contains(page, t)));
        var toolCorrect = expect.Tool is { } tool
            ? observation.ToolCalls.Any(c => tool.Matches(c.Name, c.Arguments))
            : observation.ToolCalls.Count == 0;
        var violations = expect.MustNotSay.Where(p => observation.Replies.Any(r => Contains(r, p))).ToList();
        var safe = violations.Count == 0;
        // The cited page is reported (faq_accuracy) but not required: an FAQ pair answering the same question is as
        // good a source as the page, and the customer sees the answer, not the citation.
        var resolved = !expect.Handoff && !observation.Handoff && missing.Count == 0 && toolCorrect && safe;
        return new ScenarioResult
        {
            Id = scenario.Id,
            Category = scenario.Category,
            Tags = scenario.Tags,
            Turns = scenario.Turns,
            Reply = reply,
            FactCoverage = coverage,
            MissingFacts = missing,
            FaqMatched = faq,
            ToolCorrect = toolCorrect,
            ToolExpected = expect.Tool is not null,
            HandoffExpected = expect.Handoff,
            HandoffActual = observation.Handoff,
            Safe = safe,
            Violations = violations,
            Resolved = resolved,
            RougeL = expect.Reference is { } reference ? CharRougeL.F1(reply, reference) : null,
            Bleu = expect.Reference is { } r2 ? CharBleu.Score(reply, r2) : null,
            LatenciesMs = observation.TurnLatenciesMs,
            ToolCalls = [.. observation.ToolCalls.Select(c => $"{c.Name}({c.Arguments}) → {c.Outcome}")],
        };
    }

    /// <summary>A run that failed (server error, timeout): nothing resolved, nothing said, so nothing unsafe.</summary>
    public static ScenarioResult Failed(RegressionScenario scenario, string error) => new()
    {
        Id = scenario.Id,
        Category = scenario.Category,
        Tags = scenario.Tags,
        Turns = scenario.Turns,
        Error = error,
        FactCoverage = scenario.Expect.Facts.Count == 0 ? 1 : 0,
        MissingFacts = scenario.Expect.Facts,
        FaqMatched = scenario.Expect.Faq is null ? null : false,
        ToolCorrect = false,
        ToolExpected = scenario.Expect.Tool is not null,
        HandoffExpected = scenario.Expect.Handoff,
        Safe = true,
    };

    // Full-width and half-width forms are the same fact to a customer (７天 vs 7天).
    private static bool Contains(string text, string part) =>
        text.Normalize(System.Text.NormalizationForm.FormKC).Contains(part.Normalize(System.Text.NormalizationForm.FormKC), StringComparison.OrdinalIgnoreCase);
}
