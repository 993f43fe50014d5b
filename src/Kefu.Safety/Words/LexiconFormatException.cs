namespace Kefu.Safety.Words;

/// <summary>A lexicon manifest or word list that cannot be used; the message names the file, line and field.</summary>
public sealed class LexiconFormatException : Exception
{
    public LexiconFormatException()
    {
    }

    public LexiconFormatException(string message)
        : base(message)
    {
    }

    public LexiconFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
