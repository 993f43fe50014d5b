namespace Kefu.Safety.Words;

/// <summary>
/// Word lists by category plus a whitelist: phrases that contain a listed word but are ordinary (联系客服 contains the
/// "ads" word 客服). Built in code with <see cref="LexiconBuilder"/> or read from files by <see cref="LexiconLoader"/>;
/// compiled into a matcher by <see cref="SensitiveWordMatcher.Build"/>.
/// </summary>
/// <param name="Categories">The categories with their words.</param>
/// <param name="Whitelist">Phrases whose matches suppress every listed word found inside them.</param>
/// <param name="ContentHash">A hash of the files it was read from (empty when built in code); reloads compare it.</param>
public sealed record Lexicon(IReadOnlyList<LexiconCategory> Categories, IReadOnlyList<LexiconWord> Whitelist, string ContentHash = "")
{
    /// <summary>How many words are listed over all categories (whitelist not included).</summary>
    public int WordCount => Categories.Sum(c => c.Words.Count);
}
