using System.Diagnostics;
using System.Text.Json;
using Kefu.Safety;
using Kefu.Safety.Escalation;
using Kefu.Safety.Guards;
using Kefu.Safety.Replies;
using Kefu.Safety.Words;
using Kefu.Service.Diagnostics;

namespace Kefu.Service.Guarding;

/// <summary>
/// The service's view of Kefu.Safety: the input guard (listed words, prompt injection), the output guard (listed
/// words, reply anomalies), the streaming word filter and the escalation complexity score — each check timed and
/// its findings counted on <see cref="ServiceMetrics"/>.
/// </summary>
public sealed class Guardrails(IInputGuard input, IOutputGuard output, ComplexityScorer complexity, ServiceMetrics metrics)
{
    /// <summary>Checks a customer message before routing.</summary>
    public GuardVerdict CheckInput(string message)
    {
        var started = Stopwatch.GetTimestamp();
        var verdict = input.Check(message);
        metrics.GuardChecked("input", Stopwatch.GetElapsedTime(started));
        CountHits("input", TextDirection.Input, verdict.WordHits);
        if (verdict.Injection is { IsSuspected: true } injection)
            metrics.InjectionFlagged(SnakeCase(injection.Reasons[0].ToString()));
        if (verdict.IsBlocked)
            metrics.GuardReplaced("input", IsInjection(verdict) ? "injection" : "word");
        return verdict;
    }

    /// <summary>Checks a generated reply (complete) against the turn's message and tool results.</summary>
    public GuardVerdict CheckOutput(string reply, ReplyContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var verdict = output.Check(reply, context);
        metrics.GuardChecked("output", Stopwatch.GetElapsedTime(started));
        CountHits("output", TextDirection.Output, verdict.WordHits);
        foreach (var anomaly in verdict.Anomalies?.Anomalies ?? [])
            metrics.AnomalyFound(SnakeCase(anomaly.Kind.ToString()));
        if (verdict.IsBlocked)
            metrics.GuardReplaced("output", verdict.Anomalies is { IsAnomalous: true } && !verdict.WordHits.Any(h => h.ActionFor(TextDirection.Output) == SafetyAction.Block) ? "anomaly" : "word");
        return verdict;
    }

    /// <summary>A word filter for a streamed reply: only what it releases may reach the customer.</summary>
    public IStreamingTextFilter BeginStream() => output.BeginStream();

    /// <summary>Counts a streamed reply's word hits (the complete-reply check that follows counts anomalies).</summary>
    public void CountStreamBlocked() => metrics.GuardReplaced("output", "stream_word");

    /// <summary>Scores a turn for escalation to the larger backend.</summary>
    public ComplexityScore ScoreComplexity(ComplexitySignals signals) => complexity.Score(signals);

    /// <summary>Whether a blocked input verdict was for prompt injection (answered safely) rather than for words.</summary>
    public static bool IsInjection(GuardVerdict verdict) =>
        verdict.Injection is { IsSuspected: true } && verdict.WordHits.All(h => h.ActionFor(TextDirection.Input) != SafetyAction.Block);

    private void CountHits(string direction, TextDirection textDirection, IReadOnlyList<SensitiveWordHit> hits)
    {
        foreach (var hit in hits)
            metrics.SafetyHit(direction, hit.Category.Name, SnakeCase(hit.ActionFor(textDirection).ToString()));
    }

    private static string SnakeCase(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
