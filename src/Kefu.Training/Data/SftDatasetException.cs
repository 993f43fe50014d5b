namespace Kefu.Training.Data;

/// <summary>A training folder that cannot be used: the message names the file, line and field.</summary>
public sealed class SftDatasetException : Exception
{
    public SftDatasetException() { }

    public SftDatasetException(string message) : base(message) { }

    public SftDatasetException(string message, Exception inner) : base(message, inner) { }
}
