namespace Kefu.Safety.Words;

/// <summary>
/// Where guards get the current matcher: a fixed <see cref="SensitiveWordMatcher"/> (which is its own source) or a
/// <see cref="LexiconReloader"/> that swaps in a new one when the word files change. Read it once per check so a
/// check sees one consistent lexicon.
/// </summary>
public interface IWordMatcherSource
{
    SensitiveWordMatcher Current { get; }
}
