using System.Text.Json;

namespace Kefu.Server.Api.Ui;

/// <summary>Turns the conversation log and the ratings into the dashboard's figures (pure: no I/O, no clock).</summary>
internal static class DeskAnalytics
{
    /// <summary>The windows the dashboard offers: length and bucket size.</summary>
    public static readonly IReadOnlyDictionary<string, (TimeSpan Length, TimeSpan Bucket)> Windows = new Dictionary<string, (TimeSpan, TimeSpan)>(StringComparer.Ordinal)
    {
        ["1h"] = (TimeSpan.FromHours(1), TimeSpan.FromMinutes(5)),
        ["24h"] = (TimeSpan.FromHours(24), TimeSpan.FromHours(1)),
        ["7d"] = (TimeSpan.FromDays(7), TimeSpan.FromDays(1)),
    };

    // Turns logged while a person has the conversation: the customer talking to the agent, not the bot at work.
    private const string HumanIntent = "human";

    public static DashboardSummary Summarize(
        string window, DateTimeOffset now, IReadOnlyList<DeskTurn> turns, IReadOnlyList<SatisfactionRating> ratings)
    {
        var (length, bucketSize) = Windows[window];
        // Buckets end on round times (the next 5 minutes, hour or UTC day after now), so chart labels read well.
        var windowEnd = new DateTimeOffset((now.UtcTicks + bucketSize.Ticks - 1) / bucketSize.Ticks * bucketSize.Ticks, TimeSpan.Zero);
        var from = windowEnd - length;
        var bot = turns.Where(t => t.Intent != HumanIntent && t.At >= from).ToList();
        var rated = ratings.Where(r => r.At >= from).ToList();
        var counts = new int[5];
        foreach (var rating in rated)
            counts[rating.Score - 1]++;
        var conversations = bot.Select(t => t.SessionId).Distinct(StringComparer.Ordinal).Count();
        var handoffs = bot.Count(t => t.Handoff);
        var (calls, handled) = ToolTally(bot);
        var bucketCount = (int)Math.Ceiling(length / bucketSize);
        var buckets = new List<DashboardBucket>(bucketCount);
        for (var i = 0; i < bucketCount; i++)
        {
            var start = from + (bucketSize * i);
            var end = start + bucketSize;
            var inBucket = bot.Where(t => t.At >= start && t.At < end).ToList();
            var (bucketCalls, bucketHandled) = ToolTally(inBucket);
            var bucketRatings = rated.Where(r => r.At >= start && r.At < end).ToList();
            var bucketHandoffs = inBucket.Count(t => t.Handoff);
            var bucketConversations = inBucket.Select(t => t.SessionId).Distinct(StringComparer.Ordinal).Count();
            buckets.Add(new DashboardBucket(start, inBucket.Count, Rate(inBucket.Count(t => t.Resolved), inBucket.Count), bucketHandoffs,
                Rate(bucketHandoffs, bucketConversations), Rate(bucketHandled, bucketCalls), Percentile(inBucket, 0.50), Percentile(inBucket, 0.95),
                bucketRatings.Count == 0 ? null : Math.Round(bucketRatings.Average(r => r.Score), 2)));
        }
        return new DashboardSummary(window, from, now, bot.Count, conversations, Rate(bot.Count(t => t.Resolved), bot.Count), handoffs,
            Rate(handoffs, conversations), calls, Rate(handled, calls), Percentile(bot, 0.50), Percentile(bot, 0.95),
            rated.Count == 0 ? null : Math.Round(rated.Average(r => r.Score), 2), rated.Count, counts, buckets);
    }

    /// <summary>Unanswered questions grouped by their text (trimmed, case-folded), most frequent first.</summary>
    public static IReadOnlyList<UnansweredQuestion> TopUnanswered(IReadOnlyList<UnansweredTurn> turns, int limit) =>
        [.. turns
            .GroupBy(t => Normalize(t.Question), StringComparer.Ordinal)
            .Select(g =>
            {
                var newest = g.MaxBy(t => t.At)!;
                return new UnansweredQuestion(newest.Question.Trim(), g.Count(), g.Count(t => t.Handoff), newest.At, newest.SessionId);
            })
            .OrderByDescending(q => q.Count)
            .ThenByDescending(q => q.LastAt)
            .Take(limit)];

    /// <summary>Nearest-rank percentile of turn latency, in milliseconds; null with no turns.</summary>
    internal static double? Percentile(IReadOnlyList<DeskTurn> turns, double quantile)
    {
        if (turns.Count == 0)
            return null;
        var sorted = turns.Select(t => t.LatencyMilliseconds).Order().ToList();
        var rank = (int)Math.Ceiling(quantile * sorted.Count);
        return Math.Round(sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)], 2);
    }

    private static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);

    /// <summary>Tool calls made and handled: success, a business refusal or an unknown order are answers; timeouts and bad arguments are not.</summary>
    private static (int Calls, int Handled) ToolTally(IEnumerable<DeskTurn> turns)
    {
        int calls = 0, handled = 0;
        foreach (var turn in turns)
        {
            if (turn.ToolCallsJson is not { Length: > 2 })
                continue;
            using var json = JsonDocument.Parse(turn.ToolCallsJson);
            if (json.RootElement.ValueKind != JsonValueKind.Array)
                continue;
            foreach (var call in json.RootElement.EnumerateArray())
            {
                var outcome = call.TryGetProperty("outcome", out var o) ? o.GetString() : null;
                if (outcome is null or "needs_confirmation")
                    continue;
                calls++;
                if (outcome is "success" or "refused" or "not_found")
                    handled++;
            }
        }
        return (calls, handled);
    }

    private static string Normalize(string question) => question.Trim().ToLowerInvariant();
}
