using Kefu.Data.Diagnostics;
using Kefu.Data.Reading;

namespace Kefu.Data.Validation;

/// <summary>Everything <see cref="DatasetValidator"/> found.</summary>
/// <param name="Dataset">The records read (those without errors) and the files.</param>
/// <param name="Diagnostics">All diagnostics, grouped by file and sorted by line.</param>
/// <param name="Duplicates">Near-duplicate pairs within the training records.</param>
/// <param name="Leakage">Training records that nearly duplicate evaluation items.</param>
/// <param name="Pii">Personal data found.</param>
/// <param name="TokenCounts">Rendered length of each record (by index in <c>Dataset.Records</c>), or null without a tokenizer.</param>
public sealed record ValidationReport(
    LoadedDataset Dataset,
    IReadOnlyList<DataDiagnostic> Diagnostics,
    IReadOnlyList<DuplicateFinding> Duplicates,
    IReadOnlyList<LeakageFinding> Leakage,
    IReadOnlyList<PiiFinding> Pii,
    IReadOnlyList<int>? TokenCounts)
{
    public int ErrorCount => Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);

    public int WarningCount => Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
}
