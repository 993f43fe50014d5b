namespace Kefu.Data.Diagnostics;

/// <summary>Collects diagnostics in the order they are found. Thread-compatible, not thread-safe.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<DataDiagnostic> _items = [];

    public IReadOnlyList<DataDiagnostic> Items => _items;

    public int ErrorCount { get; private set; }

    public void Add(DataDiagnostic diagnostic)
    {
        _items.Add(diagnostic);
        if (diagnostic.Severity == DiagnosticSeverity.Error)
            ErrorCount++;
    }

    public void Error(string code, string path, int line, string? field, string message) =>
        Add(new DataDiagnostic(DiagnosticSeverity.Error, code, path, line, field, message));

    public void Warning(string code, string path, int line, string? field, string message) =>
        Add(new DataDiagnostic(DiagnosticSeverity.Warning, code, path, line, field, message));

    public void Note(string code, string path, int line, string? field, string message) =>
        Add(new DataDiagnostic(DiagnosticSeverity.Note, code, path, line, field, message));

    public void AddRange(IEnumerable<DataDiagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
            Add(diagnostic);
    }
}
