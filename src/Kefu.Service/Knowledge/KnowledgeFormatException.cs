namespace Kefu.Service.Knowledge;

/// <summary>A knowledge file that cannot be read, with the file, line and field at fault.</summary>
public sealed class KnowledgeFormatException : Exception
{
    public KnowledgeFormatException(string file, int line, string? field, string problem)
        : base(field is null ? $"{file}:{line}: {problem}" : $"{file}:{line}: {field}: {problem}")
    {
        File = file;
        Line = line;
        Field = field;
    }

    public KnowledgeFormatException()
    {
        File = "";
    }

    public KnowledgeFormatException(string message) : base(message)
    {
        File = "";
    }

    public KnowledgeFormatException(string message, Exception innerException) : base(message, innerException)
    {
        File = "";
    }

    /// <summary>The file at fault.</summary>
    public string File { get; }

    /// <summary>The 1-based line at fault.</summary>
    public int Line { get; }

    /// <summary>The field at fault, when one is.</summary>
    public string? Field { get; }
}
