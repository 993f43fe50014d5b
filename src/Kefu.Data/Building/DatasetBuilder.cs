using System.Globalization;
using System.Text.Json;
using Kefu.Data.Dedup;
using Kefu.Data.Diagnostics;
using Kefu.Data.Mixing;
using Kefu.Safety.Pii;
using Kefu.Data.Progress;
using Kefu.Data.Records;
using Kefu.Data.Rendering;
using Kefu.Data.Reporting;
using Kefu.Data.Splitting;
using Kefu.Data.Validation;
using Kefu.Text;

namespace Kefu.Data.Building;

/// <summary>
/// <c>kefu data build</c>: validate (errors stop the build), drop near-duplicates, mask personal data if asked,
/// render every record through the chat template, drop samples over the cutoff, mix to the target ratio and size,
/// split train/eval per category, and write the training files, dataset.json, the report and the log — all
/// atomically, so a failed build leaves the output folder as it was (plus its log).
/// </summary>
public sealed class DatasetBuilder(TimeProvider? time = null, string? workingDirectory = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public DatasetBuildResult Build(DatasetBuildOptions options, IProgressReporter? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        progress ??= NullProgress.Instance;
        var log = new BuildLog(_time);
        log.Write("build.start", new
        {
            options.Paths, Tokenizer = options.TokenizerDirectory, Out = options.OutputDirectory, Mix = options.Mix.ToString(),
            Size = options.Size.ToString(), options.Seed, options.EvalFraction, options.Cutoff, options.MaskPii, options.NearDuplicateThreshold,
        });
        var diagnostics = new DiagnosticBag();
        try
        {
            return Run(options, progress, log, diagnostics, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            log.Write("build.cancelled");
            SaveLogOnly(options, log);
            throw;
        }
    }

    private DatasetBuildResult Run(DatasetBuildOptions options, IProgressReporter progress, BuildLog log, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        Qwen2Tokenizer tokenizer;
        try
        {
            tokenizer = Qwen2Tokenizer.FromDirectory(options.TokenizerDirectory);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Fail(options, log, diagnostics, $"cannot load the tokenizer from '{options.TokenizerDirectory}': {e.Message}");
        }

        var validation = new DatasetValidator(workingDirectory).Validate(options.Paths,
            new ValidationOptions { Cutoff = options.Cutoff, NearDuplicateThreshold = options.NearDuplicateThreshold }, progress);
        // The build counts tokens itself (after masking), so the validator's "not checked" note does not apply.
        diagnostics.AddRange(validation.Diagnostics.Where(d => d.Code != DiagnosticCodes.TokenCheckSkipped));
        foreach (var d in diagnostics.Items.Where(d => d.Severity != DiagnosticSeverity.Note))
            log.Write("diagnostic", new { d.Severity, d.Code, d.Path, d.Line, d.Field, d.Message });
        if (diagnostics.ErrorCount > 0)
            return Fail(options, log, diagnostics, string.Create(CultureInfo.InvariantCulture, $"{diagnostics.ErrorCount} errors in the data; nothing was written (fix them, or run kefu data validate)"));
        log.Write("inputs.read", new { Records = validation.Dataset.Records.Count, Files = validation.Dataset.Sources.Count });
        cancellationToken.ThrowIfCancellationRequested();

        var removed = validation.Duplicates.Select(d => d.Duplicate).ToHashSet(ReferenceEqualityComparer.Instance);
        var records = validation.Dataset.Records.Where(r => !removed.Contains(r)).ToList();
        log.Write("duplicates.removed", new { Count = removed.Count });
        if (options.MaskPii)
        {
            records = [.. records.Select(r => PiiMasking.Mask(r, PiiScanner.Default))];
            log.Write("pii.masked", new { Found = validation.Pii.Count });
        }

        var renderer = new ConversationRenderer(tokenizer);
        var rendered = new Dictionary<DataRecord, RenderedSample>(ReferenceEqualityComparer.Instance);
        var dropped = new List<RenderedSample>();
        using (var step = progress.Begin("Tokenizing", records.Count))
        {
            foreach (var record in records)
            {
                cancellationToken.ThrowIfCancellationRequested();
                RenderedSample sample;
                try
                {
                    sample = renderer.Render(record);
                }
                catch (ArgumentException e)
                {
                    diagnostics.Error(DiagnosticCodes.WrongType, record.File.DisplayPath, record.Line, null, "the chat template rejected the record: " + e.Message);
                    step.Advance();
                    continue;
                }
                if (sample.Length > options.Cutoff)
                {
                    dropped.Add(sample);
                    diagnostics.Warning(DiagnosticCodes.OverCutoff, record.File.DisplayPath, record.Line, null,
                        string.Create(CultureInfo.InvariantCulture, $"the rendered sample is {sample.Length} tokens, over the cutoff {options.Cutoff}: dropped (never truncated)"));
                }
                else
                {
                    rendered[record] = sample;
                }
                step.Advance();
            }
        }
        if (diagnostics.ErrorCount > 0)
            return Fail(options, log, diagnostics, "the chat template rejected some records; nothing was written");
        log.Write("tokenized", new { Kept = rendered.Count, DroppedOverCutoff = dropped.Count });

        var usable = records.Where(rendered.ContainsKey).ToList();
        var plan = MixPlanner.Plan(usable, options.Mix, options.Size, options.Seed);
        foreach (var warning in plan.Warnings)
            diagnostics.Warning(DiagnosticCodes.MixShort, "", 0, null, warning);
        log.Write("mixed", new { plan.Total, plan.Actions, plan.Warnings, plan.MaxDeviationPoints });
        if (plan.Total == 0)
            return Fail(options, log, diagnostics, "no usable samples are left to write");

        var split = StratifiedSplitter.Split(plan.Selected, options.EvalFraction, options.Seed);
        var splitLeakage = new NearDuplicateDetector(options.NearDuplicateThreshold).FindMatches(
            [.. split.Eval.Select(DatasetValidator.UserText)], [.. split.Train.Select(DatasetValidator.UserText)]);
        log.Write("split", new { Train = split.Train.Count, Eval = split.Eval.Count, Leakage = splitLeakage.Count });

        var report = BuildReportFactory.Create(new BuildReportInputs(options, validation, records, rendered, dropped, plan, split, splitLeakage,
            [.. diagnostics.Items.Where(d => d.Severity == DiagnosticSeverity.Warning).Select(d => d.ToString())]));
        cancellationToken.ThrowIfCancellationRequested();

        using var output = new AtomicOutput(options.OutputDirectory);
        using (var step = progress.Begin("Writing", split.Train.Count + split.Eval.Count))
        {
            TrainingSetWriter.Write(output.Stage(BuildArtifacts.Train), split.Train.Select(r => { step.Advance(); return rendered[r]; }));
            TrainingSetWriter.Write(output.Stage(BuildArtifacts.Eval), split.Eval.Select(r => { step.Advance(); return rendered[r]; }));
            var info = BuildReportFactory.DatasetInfo(options, tokenizer, report, split, rendered, _time);
            File.WriteAllText(output.Stage(BuildArtifacts.DatasetInfo), JsonSerializer.Serialize(info, ReportJson.Options) + "\n");
            File.WriteAllText(output.Stage(BuildArtifacts.ReportJson), JsonSerializer.Serialize(report, ReportJson.Options) + "\n");
            File.WriteAllText(output.Stage(BuildArtifacts.ReportMarkdown), ReportMarkdownWriter.Render(report));
            var png = output.Stage(BuildArtifacts.Histogram);
            TokenHistogram.SavePng(report.Histogram, options.Cutoff, png);
        }
        log.Write("build.succeeded", new { Train = split.Train.Count, Eval = split.Eval.Count, Warnings = report.Warnings.Count });
        log.Save(output.Stage(BuildArtifacts.Log));
        var files = output.Commit();
        return new DatasetBuildResult(true, diagnostics.Items, report, files, null);
    }

    private static DatasetBuildResult Fail(DatasetBuildOptions options, BuildLog log, DiagnosticBag diagnostics, string message)
    {
        log.Write("build.failed", new { Message = message, Errors = diagnostics.ErrorCount });
        var files = SaveLogOnly(options, log);
        return new DatasetBuildResult(false, diagnostics.Items, null, files, message);
    }

    private static IReadOnlyList<string> SaveLogOnly(DatasetBuildOptions options, BuildLog log)
    {
        using var output = new AtomicOutput(options.OutputDirectory);
        log.Save(output.Stage(BuildArtifacts.Log));
        return output.Commit();
    }
}
