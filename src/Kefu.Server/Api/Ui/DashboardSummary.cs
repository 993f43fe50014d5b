namespace Kefu.Server.Api.Ui;

/// <summary>
/// The dashboard's figures over a window of the conversation log. Rates are 0–1 and null when nothing was counted
/// (no turns, no tool calls, no ratings), so a chart shows a gap rather than a fake zero.
/// </summary>
/// <param name="Window">The window's name (1h, 24h, 7d).</param>
/// <param name="From">Start of the window.</param>
/// <param name="To">End of the window (now).</param>
/// <param name="Turns">Turns the bot handled (customer messages to a person excluded).</param>
/// <param name="Conversations">Conversations with at least one such turn.</param>
/// <param name="ResolutionRate">Share of bot turns answered (not "don't know", not a failed tool).</param>
/// <param name="Handoffs">Hand-offs to a person in the window (a conversation handed back and handed off again counts twice).</param>
/// <param name="HandoffRate">Hand-offs per conversation.</param>
/// <param name="ToolCalls">Tool calls made (calls waiting for the customer's confirmation are not calls).</param>
/// <param name="ToolSuccessRate">Share of tool calls the order system handled (refusals and unknown orders are answers too).</param>
/// <param name="LatencyP50Ms">Median turn time.</param>
/// <param name="LatencyP95Ms">95th-percentile turn time.</param>
/// <param name="Satisfaction">Mean rating, 1–5.</param>
/// <param name="Ratings">How many ratings.</param>
/// <param name="RatingCounts">Ratings per score: index 0 holds the 1s, index 4 the 5s.</param>
/// <param name="Buckets">The same figures per time bucket, oldest first.</param>
internal sealed record DashboardSummary(
    string Window, DateTimeOffset From, DateTimeOffset To, int Turns, int Conversations, double? ResolutionRate, int Handoffs, double? HandoffRate,
    int ToolCalls, double? ToolSuccessRate, double? LatencyP50Ms, double? LatencyP95Ms, double? Satisfaction, int Ratings,
    IReadOnlyList<int> RatingCounts, IReadOnlyList<DashboardBucket> Buckets);

/// <summary>One time bucket of a <see cref="DashboardSummary"/>.</summary>
internal sealed record DashboardBucket(
    DateTimeOffset Start, int Turns, double? ResolutionRate, int Handoffs, double? HandoffRate, double? ToolSuccessRate, double? LatencyP50Ms, double? LatencyP95Ms, double? Satisfaction);

/// <summary>A question the bot keeps missing: how often, when last, and one conversation to read.</summary>
internal sealed record UnansweredQuestion(string Question, int Count, int Handoffs, DateTimeOffset LastAt, string ExampleSessionId);
