namespace Kefu.Text;

/// <summary>
/// A model folder's tokenizer files are missing or malformed. The message names the file and, where the problem is
/// at a place in it, the line (1-based) and the field.
/// </summary>
public sealed class TokenizerLoadException : Exception
{
    public TokenizerLoadException()
    {
    }

    public TokenizerLoadException(string message)
        : base(message)
    {
    }

    public TokenizerLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TokenizerLoadException(string filePath, long? lineNumber, string problem, Exception? innerException = null)
        : base(Format(filePath, lineNumber, problem), innerException)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
    }

    /// <summary>The file at fault, when one is.</summary>
    public string? FilePath { get; }

    /// <summary>The 1-based line at fault, when known.</summary>
    public long? LineNumber { get; }

    private static string Format(string filePath, long? lineNumber, string problem) =>
        lineNumber is { } line ? $"{filePath}:{line}: {problem}" : $"{filePath}: {problem}";
}
