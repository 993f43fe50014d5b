namespace Kefu.Safety.Words;

/// <summary>One listed word as written in its source, and where it came from ("ads.txt:12"), for error messages.</summary>
public sealed record LexiconWord(string Text, string Origin);
