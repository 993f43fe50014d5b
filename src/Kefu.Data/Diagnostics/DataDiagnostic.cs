using System.Globalization;

namespace Kefu.Data.Diagnostics;

/// <summary>
/// One problem found in the data, printed like a compiler message:
/// <c>data/faq.jsonl:12: error KD012 field 'output': empty answer</c>.
/// </summary>
/// <param name="Severity">Error, warning or note.</param>
/// <param name="Code">A stable code from <see cref="DiagnosticCodes"/>.</param>
/// <param name="Path">The file as the user sees it; empty for a diagnostic about the run as a whole.</param>
/// <param name="Line">1-based line; 0 when the problem concerns the file as a whole.</param>
/// <param name="Field">The field, JSON-path style (<c>messages[2].content</c>), or null.</param>
/// <param name="Message">What is wrong, and where it helps, what to do.</param>
public sealed record DataDiagnostic(DiagnosticSeverity Severity, string Code, string Path, int Line, string? Field, string Message)
{
    /// <summary>The severity as printed: <c>error</c>, <c>warning</c>, <c>note</c>.</summary>
    public string SeverityText => Severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "note",
    };

    /// <inheritdoc />
    public override string ToString()
    {
        var where = Path.Length == 0 ? "" : Line > 0 ? string.Create(CultureInfo.InvariantCulture, $"{Path}:{Line}: ") : Path + ": ";
        var field = Field is null ? "" : $"field '{Field}': ";
        return $"{where}{SeverityText} {Code} {field}{Message}";
    }
}
