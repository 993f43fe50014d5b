using Kefu.Data.Diagnostics;
using Kefu.Data.Reporting;

namespace Kefu.Data.Building;

/// <summary>The outcome of a build.</summary>
/// <param name="Succeeded">True when the training set was written.</param>
/// <param name="Diagnostics">Errors, warnings and notes, compiler-style.</param>
/// <param name="Report">The report (null when the build stopped before mixing).</param>
/// <param name="OutputFiles">Files written (on failure: only the log).</param>
/// <param name="FailureMessage">Why the build stopped, or null.</param>
public sealed record DatasetBuildResult(
    bool Succeeded,
    IReadOnlyList<DataDiagnostic> Diagnostics,
    BuildReport? Report,
    IReadOnlyList<string> OutputFiles,
    string? FailureMessage);
