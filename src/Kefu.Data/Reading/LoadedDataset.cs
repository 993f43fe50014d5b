using Kefu.Data.Diagnostics;
using Kefu.Data.Records;

namespace Kefu.Data.Reading;

/// <summary>The valid records of a dataset, the problems found reading it, and its evaluation sets.</summary>
/// <param name="Records">Records without errors, in file order.</param>
/// <param name="Diagnostics">Everything found, in file order.</param>
/// <param name="Sources">One summary per training file.</param>
/// <param name="EvalFiles">Evaluation sets (manifest <c>eval</c>, or files named like one).</param>
public sealed record LoadedDataset(
    IReadOnlyList<DataRecord> Records,
    IReadOnlyList<DataDiagnostic> Diagnostics,
    IReadOnlyList<SourceSummary> Sources,
    IReadOnlyList<SourceFile> EvalFiles)
{
    /// <summary>Number of errors.</summary>
    public int ErrorCount => Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
}
