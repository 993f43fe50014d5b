using Kefu.Server.Api.Ui;

namespace Kefu.Browser.Tests;

/// <summary>The dashboard's arithmetic on a hand-made conversation log.</summary>
public sealed class DeskAnalyticsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 2, 0, TimeSpan.Zero);

    private static DeskTurn Turn(int minutesAgo, string session, double latency, bool resolved = true, bool handoff = false,
        string intent = "knowledge", string tools = "[]") =>
        new(Now.AddMinutes(-minutesAgo), session, intent, resolved, handoff, latency, tools);

    [Fact]
    public void Summarize_MixedTurns_CountsRatesPercentilesAndIgnoresHumanTurns()
    {
        var turns = new List<DeskTurn>
        {
            Turn(50, "a", 10),
            Turn(40, "a", 20, tools: """[{"name":"query_order","outcome":"success"},{"name":"query_order","outcome":"unavailable"}]"""),
            Turn(30, "b", 30, resolved: false),
            Turn(20, "b", 40, handoff: true, intent: "human_request"),
            Turn(10, "b", 5000, intent: "human", handoff: true),
            Turn(90, "c", 99), // before the window
        };
        var ratings = new List<SatisfactionRating> { new("a", 5, null, Now.AddMinutes(-5)), new("b", 2, null, Now.AddMinutes(-5)) };

        var summary = DeskAnalytics.Summarize("1h", Now, turns, ratings);

        summary.Turns.ShouldBe(4);
        summary.Conversations.ShouldBe(2);
        summary.ResolutionRate.ShouldBe(0.75);
        summary.Handoffs.ShouldBe(1);
        summary.HandoffRate.ShouldBe(0.5);
        summary.ToolCalls.ShouldBe(2);
        summary.ToolSuccessRate.ShouldBe(0.5);
        summary.LatencyP50Ms.ShouldBe(20);
        summary.LatencyP95Ms.ShouldBe(40);
        summary.Satisfaction.ShouldBe(3.5);
        summary.RatingCounts.ShouldBe([0, 1, 0, 0, 1]);
        summary.Buckets.Count.ShouldBe(12);
        summary.Buckets.Sum(b => b.Turns).ShouldBe(4);
        summary.Buckets[^1].Start.ShouldBe(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Summarize_NoTurns_GivesNullRatesNotZeros()
    {
        var summary = DeskAnalytics.Summarize("24h", Now, [], []);
        summary.ResolutionRate.ShouldBeNull();
        summary.ToolSuccessRate.ShouldBeNull();
        summary.LatencyP50Ms.ShouldBeNull();
        summary.Satisfaction.ShouldBeNull();
        summary.Buckets.Count.ShouldBe(24);
    }

    [Fact]
    public void TopUnanswered_SameQuestionDifferentCase_GroupsAndOrdersByCount()
    {
        var turns = new List<UnansweredTurn>
        {
            new(Now.AddMinutes(-3), "s1", "能开专票吗", false),
            new(Now.AddMinutes(-2), "s2", "Do you ship abroad?", true),
            new(Now.AddMinutes(-1), "s3", "do you ship abroad? ", false),
        };
        var top = DeskAnalytics.TopUnanswered(turns, 10);
        top.Count.ShouldBe(2);
        top[0].Count.ShouldBe(2);
        top[0].Handoffs.ShouldBe(1);
        top[0].ExampleSessionId.ShouldBe("s3");
        top[1].Question.ShouldBe("能开专票吗");
    }
}
