namespace Kefu.Safety.Words;

/// <summary>A category and the words listed under it.</summary>
public sealed record LexiconCategory(WordCategory Category, IReadOnlyList<LexiconWord> Words);
