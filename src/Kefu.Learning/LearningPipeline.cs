using System.Globalization;
using System.Text;
using System.Text.Json;
using Kefu.Evaluation;
using Kefu.Evaluation.Gating;
using Kefu.Evaluation.Reporting;
using Kefu.Learning.Evaluating;
using Kefu.Learning.Harvesting;
using Kefu.Learning.Promotion;
using Kefu.Learning.Review;
using Kefu.Learning.Training;
using Kefu.Service.Dialogue;

namespace Kefu.Learning;

/// <summary>
/// One run of the daily loop: harvest new corrected answers into a review file; merge the records people approved
/// into learned.messages.jsonl; when there are new ones, continue the adapter in service on the data plus them,
/// evaluate the adapter in service and the candidate on the regression set, and promote the candidate only if the
/// gate says it is not worse. With <c>transcripts</c> (the session store), records carry the conversation before the
/// agent's answer as context. Every run leaves runs/&lt;id&gt;/learn.json + learn.md (and both evaluations).
/// </summary>
public sealed class LearningPipeline(LearningConfig config, IConversationLogReader log, IAdapterTrainer? trainer, IAdapterEvaluator? evaluator, TimeProvider? time = null,
    ISessionStore? transcripts = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public LearningLayout Layout { get; } = new(config.Resolve(config.LearnDirectory));

    /// <summary>A run id from the clock: yyyyMMdd-HHmmss (UTC).</summary>
    public string NewRunId() => _time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

    /// <summary>Harvest only: writes review/&lt;run&gt;.jsonl when there is anything new; returns its result and path.</summary>
    public async Task<(HarvestResult Result, string? ReviewFile)> HarvestAsync(string runId, CancellationToken cancellationToken)
    {
        var state = LearningState.Load(Layout);
        var corrections = await log.CorrectionsAfterAsync(state.HarvestedThrough, cancellationToken).ConfigureAwait(false);
        var existing = ExistingTrainingTexts.Read([.. config.TrainingSets.Select(config.Resolve), Layout.LearnedFile,
            .. Directory.Exists(Layout.ReviewDirectory) ? Directory.GetFiles(Layout.ReviewDirectory, "*.jsonl") : []]);
        var context = new Dictionary<string, IReadOnlyList<SessionMessage>>(StringComparer.Ordinal);
        if (transcripts is not null)
        {
            foreach (var sessionId in corrections.Select(c => c.SessionId).Distinct(StringComparer.Ordinal))
                context[sessionId] = (await transcripts.HistoryAsync(sessionId, cancellationToken).ConfigureAwait(false)).Messages;
        }
        var result = new Harvester(config.DedupThreshold).Harvest(corrections, existing, context);
        string? reviewFile = null;
        if (result.Records.Count > 0)
        {
            reviewFile = Path.Combine(Layout.ReviewDirectory, runId + ".jsonl");
            ReviewFile.Write(reviewFile, result.Records, systemPrompt: null);
            if (!config.RequireApproval)
                ReviewFile.ApproveAll(reviewFile);
        }
        if (result.Through is { } through)
            (state with { HarvestedThrough = through }).Save(Layout);
        return (result, reviewFile);
    }

    /// <summary>
    /// Moves every review file with at least one approved line into learned.messages.jsonl (approved lines) and
    /// reviewed/ (the file); its unapproved lines count as rejected. Files nobody approved anything in stay waiting.
    /// </summary>
    public int MergeApproved()
    {
        if (!Directory.Exists(Layout.ReviewDirectory))
            return 0;
        var known = File.Exists(Layout.LearnedFile)
            ? File.ReadLines(Layout.LearnedFile).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()).ToHashSet(StringComparer.Ordinal)
            : [];
        var merged = new List<string>();
        var done = new List<string>();
        foreach (var file in Directory.GetFiles(Layout.ReviewDirectory, "*.jsonl").Order(StringComparer.Ordinal))
        {
            var approved = ReviewFile.ApprovedRecords(file);
            if (approved.Count == 0)
                continue;
            merged.AddRange(approved.Where(r => known.Add(JsonDocument.Parse(r).RootElement.GetProperty("id").GetString()!)));
            done.Add(file);
        }
        if (merged.Count > 0)
        {
            var existing = File.Exists(Layout.LearnedFile) ? File.ReadAllLines(Layout.LearnedFile).Where(l => l.Length > 0) : [];
            AtomicFile.WriteAllLines(Layout.LearnedFile, [.. existing, .. merged]);
        }
        Directory.CreateDirectory(Layout.ReviewedDirectory);
        foreach (var file in done)
            File.Move(file, Path.Combine(Layout.ReviewedDirectory, Path.GetFileName(file)), overwrite: true);
        return merged.Count;
    }

    public async Task<LearningRunReport> RunAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        var runId = NewRunId();
        var runDirectory = Layout.RunDirectory(runId);
        Directory.CreateDirectory(runDirectory);
        var (harvest, reviewFile) = await HarvestAsync(runId, cancellationToken).ConfigureAwait(false);
        var report = new LearningRunReport
        {
            RunId = runId,
            StartedAt = started,
            CorrectionsRead = harvest.Seen,
            Harvested = harvest.Records.Count,
            DuplicatesOfExisting = harvest.DuplicatesOfExisting,
            DuplicatesInBatch = harvest.DuplicatesInBatch,
            Unusable = harvest.Unusable,
            ReviewFile = reviewFile,
            Outcome = "nothing-to-train",
            ExitCode = ExitCodes.NothingToDo,
        };
        var merged = MergeApproved();
        report = report with { ApprovedMerged = merged };
        if (merged == 0)
        {
            report = report with { Message = reviewFile is null ? "No new approved records." : $"New records wait for review in {reviewFile}." };
            return Save(report, runDirectory);
        }
        if (trainer is null || evaluator is null)
            throw new InvalidOperationException("This pipeline was built for harvesting only; training needs a trainer and an evaluator.");
        var registry = new AdapterRegistry(Layout.AdaptersDirectory, _time);
        var baseline = registry.CurrentPath ?? config.ResolveOptional(config.BaseAdapter);
        var dataPaths = config.Data.Select(config.Resolve).Append(Layout.LearnedFile).ToList();
        var candidate = await trainer.ContinueAsync(baseline, dataPaths, runDirectory, cancellationToken).ConfigureAwait(false);
        var before = await evaluator.EvaluateAsync(baseline, cancellationToken).ConfigureAwait(false);
        var after = await evaluator.EvaluateAsync(candidate, cancellationToken).ConfigureAwait(false);
        Evaluator.Write(before, Path.Combine(runDirectory, "eval-baseline"));
        Evaluator.Write(EvalReportBuilder.Build(after.Target, after.ScenarioFile, after.StartedAt, after.Seconds, after.Results, before: before, beforeLabel: "baseline"),
            Path.Combine(runDirectory, "eval-candidate"));
        var decision = new AdapterGate(config.GateMetrics, config.Tolerance).Decide(before, after);
        report = report with
        {
            BaselineAdapter = baseline,
            CandidateAdapter = candidate,
            BaselineMetrics = before.Metrics,
            CandidateMetrics = after.Metrics,
            Gate = decision.Reasons,
        };
        if (!decision.Promote)
            return Save(report with { Outcome = "refused", ExitCode = ExitCodes.GateFailed, Message = "The candidate is worse than the adapter in service; it was kept in the run folder, not promoted." }, runDirectory);
        var promoted = registry.Promote(candidate, $"run {runId}: {merged} new records; " + string.Join("; ", decision.Reasons));
        return Save(report with { Outcome = "promoted", ExitCode = ExitCodes.Ok, PromotedVersion = Path.GetFileName(promoted), Message = $"Serve {promoted}." }, runDirectory);
    }

    private static LearningRunReport Save(LearningRunReport report, string runDirectory)
    {
        AtomicFile.WriteAllText(Path.Combine(runDirectory, "learn.json"), JsonSerializer.Serialize(report, LearningJson.Options));
        var md = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"# kefu learn run {report.RunId}\n\n")
            .Append(CultureInfo.InvariantCulture, $"Outcome: **{report.Outcome}** (exit {report.ExitCode}). {report.Message}\n\n")
            .Append(CultureInfo.InvariantCulture, $"- corrected answers read: {report.CorrectionsRead}; harvested: {report.Harvested} (dropped: {report.DuplicatesOfExisting} duplicates of existing data, {report.DuplicatesInBatch} within the batch, {report.Unusable} unusable)\n")
            .Append(CultureInfo.InvariantCulture, $"- review file: {report.ReviewFile ?? "none"}; approved records merged: {report.ApprovedMerged}\n");
        if (report.Gate.Count > 0)
            md.Append("\n## Gate (baseline → candidate)\n\n").Append(string.Concat(report.Gate.Select(g => $"- {g}\n")));
        AtomicFile.WriteAllText(Path.Combine(runDirectory, "learn.md"), md.ToString());
        return report;
    }
}
