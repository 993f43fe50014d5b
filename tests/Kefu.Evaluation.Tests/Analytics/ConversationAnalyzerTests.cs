using Kefu.Evaluation.Analytics;
using Kefu.Service.Dialogue;
using Kefu.Testing;

namespace Kefu.Evaluation.Tests.Analytics;

public sealed class ConversationAnalyzerTests
{
    private static async Task<AnalyticsReport> AnalyzeHandCountedLogAsync(TempDirectory temp)
    {
        var path = temp.File("sessions.db");
        await HandCountedLog.WriteAsync(path, TestContext.Current.CancellationToken);
        var reader = SqliteConversationLogReader.Open(path);
        return await new ConversationAnalyzer(HandCountedLog.Shop).AnalyzeAsync(reader, null, null, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Analyze_HandCountedLog_TotalsMatchTheHandCount()
    {
        using var temp = new TempDirectory();
        var report = await AnalyzeHandCountedLogAsync(temp);
        (report.Sessions, report.Turns, report.ResolvedTurns, report.HandoffSessions).ShouldBe((4, 7, 3, 2));
        report.HandoffRate.ShouldBe(0.5);
        report.LatencyP50Ms.ShouldBe(200);
    }

    [Fact]
    public async Task Analyze_HandCountedLog_DaysAreShopDaysWithHandCountedRatesAndLatency()
    {
        using var temp = new TempDirectory();
        var days = (await AnalyzeHandCountedLogAsync(temp)).Days;
        days.Select(d => d.Day).ShouldBe([new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 21)]);
        (days[0].Sessions, days[0].Turns, days[0].ResolvedTurns, days[0].HandoffSessions).ShouldBe((2, 4, 2, 1));
        (days[1].Sessions, days[1].Turns, days[1].ResolvedTurns, days[1].HandoffSessions).ShouldBe((2, 3, 1, 1));
        days[0].LatencyP50Ms.ShouldBe(150);            // {20, 100, 200, 300}
        days[0].LatencyP95Ms.ShouldBe(285, 1e-9);      // rank 2.85: 200 + 0.85·100
        days[1].LatencyP95Ms.ShouldBe(2830, 1e-9);     // {150, 400, 3100}, rank 1.9: 400 + 0.9·2700
    }

    [Fact]
    public async Task Analyze_HandCountedLog_ReasonsIntentsAndToolFailuresMatch()
    {
        using var temp = new TempDirectory();
        var report = await AnalyzeHandCountedLogAsync(temp);
        report.HandoffReasons.Select(r => (r.Label, r.Count)).ShouldBe([("customer asked for a human", 1), ("tool failed", 1)]);
        report.Intents.Select(r => (r.Label, r.Count, r.Rate)).ShouldBe([("knowledge", 4, 0.5), ("order", 2, 0.5), ("human", 1, 0.0)]);
        var tools = report.Tools.ToDictionary(t => t.Tool);
        (tools["query_order"].Calls, tools["query_order"].Failures).ShouldBe((1, 1));
        (tools["track_logistics"].Calls, tools["track_logistics"].Failures).ShouldBe((1, 0));
    }

    [Fact]
    public async Task Analyze_HandCountedLog_ClustersTheTwoInvoiceQuestionsFirst()
    {
        using var temp = new TempDirectory();
        var clusters = (await AnalyzeHandCountedLogAsync(temp)).UnansweredClusters;
        clusters.Sum(c => c.Size).ShouldBe(4);
        clusters[0].Size.ShouldBe(2);
        clusters[0].Sessions.ShouldBe(2);
        clusters[0].Examples.ShouldBe(["怎么开发票呢", "可以开发票吗怎么开"], ignoreOrder: true);
        clusters.Count.ShouldBe(3);
    }

    [Theory]
    [InlineData("rule human request: \"活人\"", "rule human request")]
    [InlineData("no rule matched; knowledge confidence 0.01 < 0.35", "no rule matched")]
    [InlineData("tool failed", "tool failed")]
    public void ReasonHead_RouterReason_KeepsItsKindOnly(string reason, string head) => ConversationAnalyzer.ReasonHead(reason).ShouldBe(head);

    [Fact]
    public async Task Analyze_WindowOnSecondShopDay_KeepsOnlyItsTurns()
    {
        using var temp = new TempDirectory();
        var path = temp.File("sessions.db");
        await HandCountedLog.WriteAsync(path, TestContext.Current.CancellationToken);
        var from = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.FromHours(8));
        var report = await new ConversationAnalyzer(HandCountedLog.Shop).AnalyzeAsync(SqliteConversationLogReader.Open(path), from, null, TestContext.Current.CancellationToken);
        (report.Sessions, report.Turns).ShouldBe((2, 3));
    }

    [Fact]
    public async Task Write_HtmlAndCsv_CarryTheNumbersAndQuoteCommas()
    {
        using var temp = new TempDirectory();
        var report = await AnalyzeHandCountedLogAsync(temp);
        var files = AnalyticsCsvWriter.Write(report, temp.File("out"));
        files.Count.ShouldBe(5);
        File.ReadAllLines(temp.File("out/daily.csv")).ShouldBe([
            "day,sessions,turns,resolved_turns,resolution_rate,handoff_sessions,handoff_rate,latency_p50_ms,latency_p95_ms",
            "2026-11-20,2,4,2,0.5,1,0.5,150,285",
            "2026-11-21,2,3,1,0.333333,1,0.5,400,2830"]);
        AnalyticsCsvWriter.Line(["a,b", "say \"hi\"", 1]).ShouldBe("\"a,b\",\"say \"\"hi\"\"\",1");
        var html = AnalyticsHtmlWriter.Render(report);
        html.ShouldContain("<svg");
        html.ShouldContain("怎么开发票呢");
    }
}
