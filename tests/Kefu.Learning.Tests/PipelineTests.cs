using Kefu.Evaluation.Gating;
using Kefu.Evaluation.Metrics;
using Kefu.Learning.Promotion;
using Kefu.Learning.Review;
using Kefu.Learning.Tests.Support;
using Kefu.Safety.Pii;
using Kefu.Service.Dialogue;
using Kefu.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.Learning.Tests;

public sealed class PipelineTests(TinyLearningSetup setup)
{
    private static async Task<string> WriteLogAsync(TempDirectory temp)
    {
        var path = temp.File("data/sessions.db");
        using var store = SqliteSessionStore.Open(path, TimeProvider.System);
        foreach (var correction in HarvesterTests.CorrectionsWithPii())
            await store.SaveCorrectionAsync(correction, TestContext.Current.CancellationToken);
        return path;
    }

    private LearningConfig Config(TempDirectory temp, string baseAdapter) => new()
    {
        ConversationLog = "data/sessions.db",
        LearnDirectory = "learn",
        Model = setup.ModelDirectory,
        BaseAdapter = baseAdapter,
        Regression = "unused-by-the-tiny-evaluator.jsonl",
        GateMetrics = [EvalMetrics.Resolution, EvalMetrics.FactCoverage],
        BaseDirectory = temp.Path,
    };

    [Fact]
    public async Task Run_ApprovedRecordsAndABetterCandidate_PromotesItAndLeavesAReport()
    {
        using var temp = new TempDirectory();
        var ct = TestContext.Current.CancellationToken;
        var log = SqliteConversationLogReader.Open(await WriteLogAsync(temp));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 19, 0, 0, TimeSpan.Zero));
        var trainer = new TinyTrainer(setup, TinyLearningSetup.FastRecipe);
        var evaluator = new TinyAdapterEvaluator(setup);
        var pipeline = new LearningPipeline(Config(temp, setup.BadAdapter), log, trainer, evaluator, time);

        // Day 1: harvested into a review file; nothing approved yet, so nothing is trained.
        var first = await pipeline.RunAsync(ct);
        first.Outcome.ShouldBe("nothing-to-train");
        first.ExitCode.ShouldBe(ExitCodes.NothingToDo);
        first.Harvested.ShouldBe(3);
        File.Exists(first.ReviewFile).ShouldBeTrue();
        PiiScanner.Default.Scan(await File.ReadAllTextAsync(first.ReviewFile!, ct)).ShouldBeEmpty();
        trainer.DataPathsSeen.ShouldBeEmpty();

        // A person approves; day 2 trains from the adapter in service (the noisy one) and promotes the better candidate.
        ReviewFile.ApproveAll(first.ReviewFile!).ShouldBe(3);
        time.Advance(TimeSpan.FromDays(1));
        var second = await pipeline.RunAsync(ct);
        second.Outcome.ShouldBe("promoted");
        second.ExitCode.ShouldBe(ExitCodes.Ok);
        second.Harvested.ShouldBe(0);   // the corrections were harvested yesterday
        second.ApprovedMerged.ShouldBe(3);
        second.CandidateMetrics![EvalMetrics.Resolution].ShouldBeGreaterThan(second.BaselineMetrics![EvalMetrics.Resolution]);
        evaluator.Evaluated[0].ShouldBe(setup.BadAdapter);
        trainer.DataPathsSeen.Single().ShouldContain(pipeline.Layout.LearnedFile);
        new AdapterRegistry(pipeline.Layout.AdaptersDirectory).Read().Current.ShouldBe("v0001");

        var learned = await File.ReadAllLinesAsync(pipeline.Layout.LearnedFile, ct);
        learned.Length.ShouldBe(3);
        PiiScanner.Default.Scan(string.Join("\n", learned)).ShouldBeEmpty();
        var runDirectory = pipeline.Layout.RunDirectory(second.RunId);
        File.Exists(Path.Combine(runDirectory, "learn.json")).ShouldBeTrue();
        (await File.ReadAllTextAsync(Path.Combine(runDirectory, "learn.md"), ct)).ShouldContain("promoted");
        File.Exists(Path.Combine(runDirectory, "eval-candidate", "eval.html")).ShouldBeTrue();

        // Day 3: nothing new.
        time.Advance(TimeSpan.FromDays(1));
        (await pipeline.RunAsync(ct)).ExitCode.ShouldBe(ExitCodes.NothingToDo);
    }

    [Fact]
    public async Task Run_CandidateWorseThanTheAdapterInService_IsRefusedAndNothingIsPromoted()
    {
        using var temp = new TempDirectory();
        var ct = TestContext.Current.CancellationToken;
        var log = SqliteConversationLogReader.Open(await WriteLogAsync(temp));
        // Deliberately worse: the "training" replaces the good adapter in service by the noisy one.
        var pipeline = new LearningPipeline(Config(temp, setup.GoodAdapter) with { RequireApproval = false }, log,
            new CopyingTrainer(setup.BadAdapter), new TinyAdapterEvaluator(setup), new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56)));
        var report = await pipeline.RunAsync(ct);
        report.Outcome.ShouldBe("refused");
        report.ExitCode.ShouldBe(ExitCodes.GateFailed);
        report.Gate.ShouldContain(g => g.Contains("WORSE", StringComparison.Ordinal));
        new AdapterRegistry(pipeline.Layout.AdaptersDirectory).CurrentPath.ShouldBeNull();
    }

    /// <summary>A "trainer" whose output is a given adapter folder: how a deliberately worse candidate is made.</summary>
    private sealed class CopyingTrainer(string adapter) : Kefu.Learning.Training.IAdapterTrainer
    {
        public Task<string> ContinueAsync(string? currentAdapter, IReadOnlyList<string> dataPaths, string workDirectory, CancellationToken cancellationToken) =>
            Task.FromResult(adapter);
    }
}
