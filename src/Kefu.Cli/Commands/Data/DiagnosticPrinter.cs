using System.Globalization;
using Kefu.Data.Diagnostics;
using Spectre.Console;

namespace Kefu.Cli.Commands.Data;

/// <summary>Prints diagnostics one per line, compiler style, and a one-line tally.</summary>
internal static class DiagnosticPrinter
{
    public static void Print(IAnsiConsole console, IEnumerable<DataDiagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
            console.WriteRawLine(diagnostic.ToString());
    }

    public static string Tally(IReadOnlyCollection<DataDiagnostic> diagnostics)
    {
        var errors = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        var warnings = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
        return string.Create(CultureInfo.InvariantCulture, $"{errors} error{(errors == 1 ? "" : "s")}, {warnings} warning{(warnings == 1 ? "" : "s")}");
    }
}
