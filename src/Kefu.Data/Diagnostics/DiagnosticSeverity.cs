namespace Kefu.Data.Diagnostics;

/// <summary>How serious a <see cref="DataDiagnostic"/> is. Only errors fail <c>kefu data validate</c> and stop a build.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Something the user should know, e.g. a check that was skipped.</summary>
    Note,

    /// <summary>A problem the build works around (drops, masks, keeps) and reports.</summary>
    Warning,

    /// <summary>A record or file that cannot be used as it is.</summary>
    Error,
}
