namespace Kefu.Evaluation.Scenarios;

/// <summary>What a scenario expects (see <see cref="RegressionSetReader"/> for the file format).</summary>
/// <param name="Facts">Substrings the final reply must contain.</param>
/// <param name="Faq">The knowledge page title the answer must rest on (a cited source), or null.</param>
/// <param name="Tool">The tool call expected in the conversation; null when no tool may be called.</param>
/// <param name="Handoff">Whether the conversation must end with (or waiting for) a human.</param>
/// <param name="MustNotSay">Substrings no reply of the conversation may contain.</param>
/// <param name="Reference">A reference answer for ROUGE-L/BLEU, or null.</param>
public sealed record ScenarioExpectation(
    IReadOnlyList<string> Facts,
    string? Faq,
    ExpectedToolCall? Tool,
    bool Handoff,
    IReadOnlyList<string> MustNotSay,
    string? Reference);
