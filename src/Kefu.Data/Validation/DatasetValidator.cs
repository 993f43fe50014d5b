using System.Globalization;
using Kefu.Data.Dedup;
using Kefu.Data.Diagnostics;
using Kefu.Safety.Pii;
using Kefu.Data.Progress;
using Kefu.Data.Reading;
using Kefu.Data.Records;
using Kefu.Data.Rendering;

namespace Kefu.Data.Validation;

/// <summary>
/// <c>kefu data validate</c>: reads the data (every record-level problem is reported with file, line and field), then
/// checks across records — near-duplicates, leakage into evaluation sets, personal data and, with a tokenizer,
/// rendered length against the cutoff.
/// </summary>
public sealed class DatasetValidator(string? workingDirectory = null)
{
    public ValidationReport Validate(IReadOnlyList<string> paths, ValidationOptions options, IProgressReporter? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        progress ??= NullProgress.Instance;
        var loader = new DatasetLoader(workingDirectory);
        LoadedDataset dataset;
        using (var step = progress.Begin("Reading files", loader.CountFiles(paths)))
            dataset = loader.Load(paths, (_, _) => step.Advance());

        var diagnostics = new DiagnosticBag();
        diagnostics.AddRange(dataset.Diagnostics);
        var records = dataset.Records;
        var detector = new NearDuplicateDetector(options.NearDuplicateThreshold);

        List<DuplicateFinding> duplicates;
        List<LeakageFinding> leakage;
        using (var step = progress.Begin("Finding near-duplicates", records.Count))
        {
            duplicates = FindDuplicates(records, detector, diagnostics);
            leakage = FindLeakage(dataset, detector, diagnostics);
            step.Advance(records.Count);
        }
        List<PiiFinding> pii;
        using (var step = progress.Begin("Scanning for personal data", records.Count))
            pii = ScanPii(records, diagnostics, step);

        List<int>? tokenCounts = null;
        if (options.Tokenizer is null)
        {
            diagnostics.Note(DiagnosticCodes.TokenCheckSkipped, "", 0, null,
                string.Create(CultureInfo.InvariantCulture, $"token lengths not checked against the cutoff ({options.Cutoff}): pass --tokenizer MODEL_DIR"));
        }
        else
        {
            using var step = progress.Begin("Counting tokens", records.Count);
            tokenCounts = CountTokens(records, new ConversationRenderer(options.Tokenizer), options.Cutoff, diagnostics, step);
        }
        return new ValidationReport(dataset, Sort(diagnostics.Items), duplicates, leakage, pii, tokenCounts);
    }

    /// <summary>Text compared for duplicates: every turn but the system prompt, which records share by design.</summary>
    internal static string ConversationText(DataRecord record) =>
        string.Join('\n', record.Turns.Where(t => t.Role != "system").Select(t => t.Content + string.Concat(t.ToolCalls.Select(c => c.Name + c.ArgumentsJson))));

    /// <summary>Text compared for leakage: what the customer says.</summary>
    internal static string UserText(DataRecord record) =>
        string.Join('\n', record.Turns.Where(t => t.Role == "user").Select(t => t.Content));

    private static List<DuplicateFinding> FindDuplicates(IReadOnlyList<DataRecord> records, NearDuplicateDetector detector, DiagnosticBag diagnostics)
    {
        var pairs = detector.FindPairs([.. records.Select(ConversationText)]);
        var findings = new List<DuplicateFinding>();
        var reported = new HashSet<int>();
        foreach (var pair in pairs)
        {
            // A record similar to several earlier ones is reported once, against the earliest.
            if (!reported.Add(pair.Second))
                continue;
            var kept = records[pair.First];
            var duplicate = records[pair.Second];
            findings.Add(new DuplicateFinding(kept, duplicate, pair.Jaccard));
            diagnostics.Warning(DiagnosticCodes.NearDuplicate, duplicate.File.DisplayPath, duplicate.Line, null,
                string.Create(CultureInfo.InvariantCulture, $"near-duplicate of {kept.Location} (Jaccard {pair.Jaccard:0.00}); a build keeps the first"));
        }
        return findings;
    }

    private static List<LeakageFinding> FindLeakage(LoadedDataset dataset, NearDuplicateDetector detector, DiagnosticBag diagnostics)
    {
        var findings = new List<LeakageFinding>();
        var evalItems = dataset.EvalFiles.SelectMany(f => EvalSetReader.Read(f, diagnostics)).ToList();
        if (evalItems.Count == 0 || dataset.Records.Count == 0)
            return findings;
        var matches = detector.FindMatches([.. dataset.Records.Select(UserText)], [.. evalItems.Select(e => e.UserText)]);
        foreach (var match in matches.OrderBy(m => m.First).ThenBy(m => m.Second))
        {
            var train = dataset.Records[match.First];
            var item = evalItems[match.Second];
            findings.Add(new LeakageFinding(train, item, match.Jaccard));
            diagnostics.Warning(DiagnosticCodes.Leakage, train.File.DisplayPath, train.Line, null,
                string.Create(CultureInfo.InvariantCulture, $"the customer text nearly duplicates evaluation item {item.Location} (Jaccard {match.Jaccard:0.00}): train/eval leakage inflates eval scores"));
        }
        return findings;
    }

    private static List<PiiFinding> ScanPii(IReadOnlyList<DataRecord> records, DiagnosticBag diagnostics, IProgressStep step)
    {
        var findings = new List<PiiFinding>();
        foreach (var record in records)
        {
            for (var i = 0; i < record.Turns.Count; i++)
            {
                var turn = record.Turns[i];
                var text = turn.Content + string.Concat(turn.ToolCalls.Select(c => "\n" + c.ArgumentsJson));
                foreach (var match in PiiScanner.Default.Scan(text))
                {
                    var finding = new PiiFinding(record, i, match);
                    findings.Add(finding);
                    diagnostics.Warning(DiagnosticCodes.PersonalData, record.File.DisplayPath, record.Line, finding.Field,
                        $"{match.KindName} {match.Masked} (build with --mask-pii to mask it)");
                }
            }
            step.Advance();
        }
        return findings;
    }

    private static List<int> CountTokens(IReadOnlyList<DataRecord> records, ConversationRenderer renderer, int cutoff, DiagnosticBag diagnostics, IProgressStep step)
    {
        var counts = new List<int>(records.Count);
        foreach (var record in records)
        {
            var length = renderer.Render(record).Length;
            counts.Add(length);
            if (length > cutoff)
            {
                diagnostics.Warning(DiagnosticCodes.OverCutoff, record.File.DisplayPath, record.Line, null,
                    string.Create(CultureInfo.InvariantCulture, $"the rendered sample is {length} tokens, over the cutoff {cutoff}: a build drops it (shorten it or raise --cutoff)"));
            }
            step.Advance();
        }
        return counts;
    }

    /// <summary>Groups diagnostics by file, in the order files were first mentioned, and sorts each file's by line.</summary>
    internal static List<DataDiagnostic> Sort(IReadOnlyList<DataDiagnostic> diagnostics)
    {
        var fileRank = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var d in diagnostics)
            fileRank.TryAdd(d.Path, fileRank.Count);
        return [.. diagnostics.Select((d, i) => (d, i)).OrderBy(x => fileRank[x.d.Path]).ThenBy(x => x.d.Line).ThenBy(x => x.i).Select(x => x.d)];
    }
}
