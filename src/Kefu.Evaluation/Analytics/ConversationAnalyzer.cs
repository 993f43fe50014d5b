using System.Text.Json;
using Kefu.Evaluation.Metrics;
using Kefu.Service.Dialogue;

namespace Kefu.Evaluation.Analytics;

/// <summary>
/// Turns the conversation log into the numbers of <c>kefu report</c>. Days are calendar days in
/// <paramref name="timeZone"/> (the shop's, not the server's). A session counts towards the hand-off rate on the day
/// of its first hand-off turn; a turn is resolved as the service logged it. Hand-off reasons are the session's
/// category (requested, unresolved, complaint, …) when it still has one, else the kind of the router's reason.
/// </summary>
public sealed class ConversationAnalyzer(TimeZoneInfo timeZone, double clusterThreshold = 0.4)
{
    // Outcomes where the system failed to serve the call, as opposed to a business answer (refused, not found).
    private static readonly HashSet<string> FailureOutcomes = new(StringComparer.Ordinal) { "unavailable", "invalid_arguments" };

    public async Task<AnalyticsReport> AnalyzeAsync(IConversationLogReader log, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var turns = await log.TurnsAsync(from, to, cancellationToken).ConfigureAwait(false);
        // All sessions, not only those created in the window: a conversation may start before it and hand off inside.
        var sessions = await log.SessionsAsync(null, null, cancellationToken).ConfigureAwait(false);
        return Analyze(turns, sessions, from, to);
    }

    public AnalyticsReport Analyze(IReadOnlyList<LoggedTurn> turns, IReadOnlyList<LoggedSession>? sessions = null, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        ArgumentNullException.ThrowIfNull(turns);
        DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, timeZone).DateTime);
        var firstHandoff = turns.Where(t => t.Entry.Handoff).GroupBy(t => t.SessionId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Day(g.Min(t => t.Entry.At)), StringComparer.Ordinal);
        var days = turns.GroupBy(t => Day(t.Entry.At)).OrderBy(g => g.Key).Select(g =>
        {
            var latencies = g.Select(t => t.Entry.LatencyMilliseconds).Order().ToList();
            var sessions = g.Select(t => t.SessionId).Distinct(StringComparer.Ordinal).ToList();
            return new DailyStats(g.Key, sessions.Count, g.Count(), g.Count(t => t.Entry.Resolved),
                firstHandoff.Count(h => h.Value == g.Key), Percentile.OfSorted(latencies, 50), Percentile.OfSorted(latencies, 95));
        }).ToList();
        var all = turns.Select(t => t.Entry.LatencyMilliseconds).Order().ToList();
        var sessionReasons = (sessions ?? []).Where(x => x.HandoffReason is not null).ToDictionary(x => x.Id, x => x.HandoffReason!, StringComparer.Ordinal);
        var handoffReasons = turns.Where(t => t.Entry.Handoff)
            .GroupBy(t => sessionReasons.TryGetValue(t.SessionId, out var category) ? category : ReasonHead(t.Entry.Reason), StringComparer.Ordinal)
            .Select(g => new CountRow(g.Key, g.Count())).OrderByDescending(r => r.Count).ThenBy(r => r.Label, StringComparer.Ordinal).ToList();
        var intents = turns.GroupBy(t => t.Entry.Intent, StringComparer.Ordinal)
            .Select(g => new CountRow(g.Key, g.Count(), (double)g.Count(t => t.Entry.Resolved) / g.Count()))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Label, StringComparer.Ordinal).ToList();
        var unanswered = turns.Where(t => !t.Entry.Resolved).Select(t => (t.SessionId, t.Question)).ToList();
        return new AnalyticsReport
        {
            From = from,
            To = to,
            TimeZone = timeZone.Id,
            Sessions = turns.Select(t => t.SessionId).Distinct(StringComparer.Ordinal).Count(),
            Turns = turns.Count,
            ResolvedTurns = turns.Count(t => t.Entry.Resolved),
            HandoffSessions = firstHandoff.Count,
            LatencyP50Ms = all.Count == 0 ? 0 : Percentile.OfSorted(all, 50),
            LatencyP95Ms = all.Count == 0 ? 0 : Percentile.OfSorted(all, 95),
            Days = days,
            HandoffReasons = handoffReasons,
            Intents = intents,
            Tools = ToolStatistics(turns),
            UnansweredClusters = new QuestionClusterer(clusterThreshold).Cluster(unanswered),
        };
    }

    /// <summary>
    /// The kind of a router reason without its particulars (<c>rule human request: "活人"</c> → <c>rule human
    /// request</c>), for hand-offs whose session no longer names a category (an agent has since taken it).
    /// </summary>
    internal static string ReasonHead(string reason)
    {
        var end = reason.IndexOfAny([':', ';']);
        return (end < 0 ? reason : reason[..end]).Trim();
    }

    private static List<ToolStats> ToolStatistics(IReadOnlyList<LoggedTurn> turns)
    {
        var calls = new List<(string Name, string Outcome, double Ms)>();
        foreach (var turn in turns)
        {
            if (string.IsNullOrWhiteSpace(turn.Entry.ToolCallsJson))
                continue;
            using var document = JsonDocument.Parse(turn.Entry.ToolCallsJson);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                continue;
            foreach (var call in document.RootElement.EnumerateArray())
            {
                var name = call.TryGetProperty("name", out var n) ? n.GetString() ?? "?" : "?";
                var outcome = call.TryGetProperty("outcome", out var o) ? o.GetString() ?? "?" : "?";
                var ms = call.TryGetProperty("duration_ms", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDouble() : 0;
                calls.Add((name, outcome, ms));
            }
        }
        return [.. calls.GroupBy(c => c.Name, StringComparer.Ordinal).Select(g => new ToolStats(
                g.Key, g.Count(), g.Count(c => FailureOutcomes.Contains(c.Outcome)),
                g.GroupBy(c => c.Outcome, StringComparer.Ordinal).ToDictionary(o => o.Key, o => o.Count(), StringComparer.Ordinal),
                Percentile.OfSorted([.. g.Select(c => c.Ms).Order()], 95)))
            .OrderByDescending(t => t.Calls).ThenBy(t => t.Tool, StringComparer.Ordinal)];
    }
}
