namespace Kefu.Export.Gguf;

/// <summary>A GGUF file that does not follow the format, or input that cannot be exported to it.</summary>
public sealed class GgufFormatException : Exception
{
    public GgufFormatException(string message) : base(message) { }

    public GgufFormatException(string message, Exception innerException) : base(message, innerException) { }

    public GgufFormatException() { }
}
