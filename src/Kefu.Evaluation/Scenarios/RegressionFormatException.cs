namespace Kefu.Evaluation.Scenarios;

/// <summary>A regression file that cannot be read; the message names file, line and field.</summary>
public sealed class RegressionFormatException : Exception
{
    public RegressionFormatException(string message) : base(message) { }

    public RegressionFormatException(string message, Exception inner) : base(message, inner) { }

    public RegressionFormatException() { }
}
