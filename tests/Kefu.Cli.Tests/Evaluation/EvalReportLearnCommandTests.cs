using System.Text.Json;
using Kefu.Cli.Tests.Support;
using Kefu.Evaluation.Reporting;
using Kefu.Service.Dialogue;
using Kefu.Testing;

namespace Kefu.Cli.Tests.Evaluation;

public sealed class EvalReportLearnCommandTests
{
    private static string Samples => Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce");

    private static string WriteScenarios(TempDirectory temp)
    {
        var path = temp.File("scenarios.jsonl");
        File.WriteAllLines(path,
        [
            """{"id":"ok","turns":["满多少包邮？"],"expect":{"facts":["59"],"tool":null,"handoff":false,"must_not_say":["货到付款"]},"tags":["shipping"]}""",
            """{"id":"impossible","turns":["满多少包邮？"],"expect":{"facts":["这句话不会出现在任何回复里"],"handoff":false},"tags":["shipping"]}""",
            """{"id":"human","turns":["我要转人工"],"expect":{"handoff":true},"tags":["handoff"]}""",
        ]);
        return path;
    }

    [Fact]
    public async Task Eval_GateAboveWhatTheRunReaches_ExitsTwoAndStillWritesTheReports()
    {
        using var temp = new TempDirectory();
        var (exit, output, _) = await CliRun.RunSplitAsync("eval", "--samples", Samples, "--scenarios", WriteScenarios(temp), "--out", temp.File("out"), "--gate", "resolution>=0.9,safety>=1");
        exit.ShouldBe(2, output);
        output.ShouldContain("gate resolution>=0.9: 0.5 FAIL");
        output.ShouldContain("gate safety>=1: 1 pass");
        var report = JsonDocument.Parse(await File.ReadAllTextAsync(temp.File("out/eval.json"), TestContext.Current.CancellationToken)).RootElement;
        report.GetProperty("metrics").GetProperty("resolution").GetDouble().ShouldBe(0.5);
        report.GetProperty("metrics").GetProperty("handoff_recall").GetDouble().ShouldBe(1.0);
        File.Exists(temp.File("out/eval.html")).ShouldBeTrue();
    }

    [Fact]
    public async Task Eval_GatesMetAndCompareWithTheEarlierRun_ExitsZeroWithNoSignificantChange()
    {
        using var temp = new TempDirectory();
        var scenarios = WriteScenarios(temp);
        (await CliRun.RunSplitAsync("eval", "--samples", Samples, "--scenarios", scenarios, "--out", temp.File("before"))).ExitCode.ShouldBe(0);
        var (exit, output, _) = await CliRun.RunSplitAsync("eval", "--samples", Samples, "--scenarios", scenarios, "--out", temp.File("after"),
            "--compare", temp.File("before/eval.json"), "--gate", "safety>=1,handoff_recall>=1");
        exit.ShouldBe(0, output);
        output.ShouldContain("95% CI");
        // The same answers twice: every quality metric is unchanged. Latency is left out on purpose — wall-clock time
        // of two runs on a busy CI machine can differ significantly either way, and that is not what this test checks.
        var quality = EvalReportJson.Read(temp.File("after/eval.json")).Comparison.ShouldNotBeNull().Differences
            .Where(d => !d.Metric.EndsWith("_ms", StringComparison.Ordinal)).ToList();
        quality.ShouldNotBeEmpty();
        quality.ShouldAllBe(d => d.Difference == 0 && !d.Significant);
    }

    [Fact]
    public async Task Eval_UnknownGateMetric_ExitsOneNamingIt()
    {
        var (exit, output, _) = await CliRun.RunSplitAsync("eval", "--samples", Samples, "--gate", "resolutoin>=0.8");
        exit.ShouldBe(1);
        output.ShouldContain("unknown metric \"resolutoin\"");
    }

    private static async Task<string> WriteLogAsync(TempDirectory temp)
    {
        var path = temp.File("data/sessions.db");
        var ct = TestContext.Current.CancellationToken;
        using var store = SqliteSessionStore.Open(path, TimeProvider.System);
        var at = new DateTimeOffset(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);
        var session = new Session { Id = "s_1", CreatedAt = at, UpdatedAt = at };
        await store.SaveAsync(session, [new SessionMessage("user", "发票怎么开", at)], new TurnLogEntry(at, "knowledge", "faq hit", 0.9, "[]", true, false, 12), ct);
        await store.SaveAsync(session, [new SessionMessage("user", "我要人工，电话13800001234", at.AddMinutes(1))],
            new TurnLogEntry(at.AddMinutes(1), "human", "customer asked for a human", null, "[]", false, true, 8), ct);
        await store.SaveCorrectionAsync(new CorrectedAnswer("s_1", "我要人工，电话13800001234", "正在转接", "您好，我是客服小王，请问有什么可以帮您？", "wang", at.AddMinutes(2)), ct);
        return path;
    }

    [Fact]
    public async Task Report_SmallLog_PrintsTheCountsAndWritesHtmlAndCsv()
    {
        using var temp = new TempDirectory();
        var db = await WriteLogAsync(temp);
        var (exit, output, _) = await CliRun.RunSplitAsync("report", "--db", db, "--out", temp.File("report"));
        exit.ShouldBe(0, output);
        output.ShouldContain("1 conversations, 2 turns, resolved 50.0%, hand-off 100.0%");
        File.Exists(temp.File("report/report.html")).ShouldBeTrue();
        File.ReadAllLines(temp.File("report/daily.csv"))[1].ShouldStartWith("2026-11-20,1,2,1,0.5,1,1,");
        (await File.ReadAllTextAsync(temp.File("report/unanswered_clusters.csv"), TestContext.Current.CancellationToken)).ShouldNotContain("13800001234");
    }

    [Fact]
    public async Task Learn_HarvestApproveStatus_ReviewFileWithoutPiiThenApprovedThenNothingNew()
    {
        using var temp = new TempDirectory();
        await WriteLogAsync(temp);
        var config = temp.File("learn.json");
        await File.WriteAllTextAsync(config, """{"conversation_log": "data/sessions.db", "learn_dir": "learn"}""", TestContext.Current.CancellationToken);
        var (exit, output, _) = await CliRun.RunSplitAsync("learn", "harvest", "--config", config);
        exit.ShouldBe(0, output);
        var review = Directory.GetFiles(temp.File("learn/review")).Single();
        var text = await File.ReadAllTextAsync(review, TestContext.Current.CancellationToken);
        text.ShouldNotContain("13800001234");
        text.ShouldContain("\"approved\":false");
        (await CliRun.RunSplitAsync("learn", "approve", review)).ExitCode.ShouldBe(0);
        (await CliRun.RunSplitAsync("learn", "status", "--config", config)).Output.ShouldContain("1/1 approved");
        (await CliRun.RunSplitAsync("learn", "harvest", "--config", config)).ExitCode.ShouldBe(3);
        (await CliRun.RunSplitAsync("learn", "rollback", "--config", config)).ExitCode.ShouldBe(1);
    }
}
