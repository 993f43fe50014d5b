using Kefu.Text;

namespace Kefu.Safety.Words;

/// <summary>
/// Finds listed words in text after normalisation: full-width and half-width forms, upper and lower case, separators
/// inserted between characters (敏*感, 敏 感, 敏\u200B感, emoji) and stuttered characters (敏敏感感) all match 敏感, and
/// every hit maps back to its span in the original text. Whitelist phrases suppress the hits inside them (客服 in
/// 联系客服). Immutable and thread-safe; build one per lexicon and share it.
/// </summary>
/// <remarks>
/// Traditional→simplified folding is not done: .NET has no conversion table and Kefu ships none, so a lexicon that
/// must catch traditional spellings lists them. Latin words (sb, qq, cao) match only on word boundaries in the
/// original text so they do not fire inside English words or pinyin.
/// </remarks>
public sealed class SensitiveWordMatcher : IWordMatcherSource
{
    private readonly WordAutomaton _automaton;
    private readonly WordCategory[] _categories;

    private SensitiveWordMatcher(Lexicon lexicon, WordAutomaton automaton, WordCategory[] categories)
    {
        Lexicon = lexicon;
        _automaton = automaton;
        _categories = categories;
    }

    /// <summary>The lexicon this matcher was built from.</summary>
    public Lexicon Lexicon { get; }

    /// <summary>The longest word or whitelist phrase, in normalised characters: what a stream may hold back.</summary>
    public int LongestPattern => _automaton.LongestPattern;

    /// <summary>Distinct normalised words and whitelist phrases in the automaton.</summary>
    public int PatternCount => _automaton.Patterns.Count;

    SensitiveWordMatcher IWordMatcherSource.Current => this;

    internal WordAutomaton Automaton => _automaton;

    /// <summary>Compiles <paramref name="lexicon"/>.</summary>
    /// <exception cref="LexiconFormatException">A word is empty after normalisation, too long, or outside the BMP.</exception>
    public static SensitiveWordMatcher Build(Lexicon lexicon)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        var categories = lexicon.Categories.Select(c => c.Category).ToArray();
        var patterns = new List<WordPattern>();
        var byText = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var ci = 0; ci < lexicon.Categories.Count; ci++)
        {
            foreach (var word in lexicon.Categories[ci].Words)
            {
                var normalized = NormalizeWord(word);
                if (!byText.TryGetValue(normalized, out var existing))
                {
                    byText[normalized] = patterns.Count;
                    patterns.Add(new WordPattern(normalized, word.Text, ci));
                }
                else if (WordCategory.Stronger(categories[patterns[existing].CategoryIndex], categories[ci]) != categories[patterns[existing].CategoryIndex])
                {
                    // Listed in two categories: the stronger one decides.
                    patterns[existing] = new WordPattern(normalized, word.Text, ci);
                }
            }
        }

        var whitelisted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var phrase in lexicon.Whitelist)
        {
            var normalized = NormalizeWord(phrase);
            if (whitelisted.Add(normalized))
                patterns.Add(new WordPattern(normalized, phrase.Text, WordPattern.Whitelist));
        }
        return new SensitiveWordMatcher(lexicon, WordAutomatonBuilder.Build(patterns), categories);
    }

    /// <summary>Every listed word in <paramref name="text"/> not inside a whitelist phrase, in order of position.</summary>
    public IReadOnlyList<SensitiveWordHit> FindHits(ReadOnlySpan<char> text)
    {
        var matches = new List<RawMatch>();
        _automaton.Scan(text, 0, matches);
        if (matches.Count == 0)
            return [];
        var decided = Resolve(text, matches, before: '\0', final: true, out _);
        return ToHits(text, decided, offset: 0);
    }

    /// <summary>Checks <paramref name="text"/> and decides what to do with it when it flows in <paramref name="direction"/>.</summary>
    public WordCheckResult Check(string text, TextDirection direction)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hits = FindHits(text);
        if (hits.Count == 0)
            return new WordCheckResult(SafetyAction.Allow, text, hits);
        var action = hits.Max(h => h.ActionFor(direction));
        var masked = hits.Where(h => h.ActionFor(direction) >= SafetyAction.Mask).Select(h => (h.Start, h.Start + h.Length)).ToList();
        return new WordCheckResult(action, Masking.Apply(text, masked), hits);
    }

    /// <summary>A filter for text that arrives in chunks (a streamed reply), releasing only what is decided.</summary>
    public StreamingWordFilter BeginStream(TextDirection direction = TextDirection.Output) => new(this, direction);

    /// <summary>
    /// Applies word boundaries and the whitelist to raw matches. A Latin word that ends at the end of a text that is
    /// not final cannot be decided yet (the next character may be a letter): its start is returned in
    /// <paramref name="firstUndecided"/> (int.MaxValue when none).
    /// </summary>
    internal List<RawMatch> Resolve(ReadOnlySpan<char> text, List<RawMatch> matches, char before, bool final, out int firstUndecided)
    {
        firstUndecided = int.MaxValue;
        List<RawMatch>? whitelist = null;
        var words = new List<RawMatch>(matches.Count);
        foreach (var match in matches)
        {
            var pattern = _automaton.Patterns[match.Pattern];
            if (pattern.IsWhitelist)
            {
                (whitelist ??= []).Add(match);
                continue;
            }
            if (pattern.NeedsLeadingBoundary)
            {
                // A stutter of the word's first letter (NNMD) belongs to the word, not to a longer one.
                var at = match.Start - 1;
                while (at >= 0 && SameLetter(text[at], text[match.Start]))
                    at--;
                if (IsWordCharacter(at >= 0 ? text[at] : before))
                    continue;
            }
            if (pattern.NeedsTrailingBoundary)
            {
                var at = match.End;
                while (at < text.Length && SameLetter(text[at], text[match.End - 1]))
                    at++;
                if (at < text.Length)
                {
                    if (IsWordCharacter(text[at]))
                        continue;
                }
                else if (!final)
                {
                    firstUndecided = Math.Min(firstUndecided, match.Start);
                    continue;
                }
            }
            words.Add(match);
        }
        if (whitelist is not null)
            words.RemoveAll(m => whitelist.Exists(w => w.ConsumedStart <= m.ConsumedStart && m.ConsumedEnd <= w.ConsumedEnd));
        return words;
    }

    internal List<SensitiveWordHit> ToHits(ReadOnlySpan<char> text, List<RawMatch> matches, int offset)
    {
        var hits = new List<SensitiveWordHit>(matches.Count);
        foreach (var match in matches.OrderBy(m => m.Start).ThenBy(m => m.End))
        {
            var pattern = _automaton.Patterns[match.Pattern];
            hits.Add(new SensitiveWordHit(
                pattern.Word, _categories[pattern.CategoryIndex], match.Start + offset, match.End - match.Start,
                text[match.Start..match.End].ToString()));
        }
        return hits;
    }

    internal WordPattern PatternOf(RawMatch match) => _automaton.Patterns[match.Pattern];

    internal WordCategory CategoryOf(RawMatch match) => _categories[_automaton.Patterns[match.Pattern].CategoryIndex];

    /// <summary>A letter or digit of Latin script, full-width forms included: what a Latin word must not touch.</summary>
    private static bool IsWordCharacter(char c)
    {
        return char.IsAsciiLetterOrDigit(FoldWidth(c));
    }

    private static bool SameLetter(char a, char b) => char.ToLowerInvariant(FoldWidth(a)) == char.ToLowerInvariant(FoldWidth(b));

    private static char FoldWidth(char c) => c is >= '\uFF01' and <= '\uFF5E' ? (char)(c - 0xFEE0) : c;

    private static string NormalizeWord(LexiconWord word)
    {
        var normalized = TextNormalizer.Normalize(word.Text, WordAutomaton.Folding);
        if (normalized.Length == 0)
            throw new LexiconFormatException($"{word.Origin}: '{word.Text}' has nothing left to match after normalisation (only separators).");
        if (normalized.Length > WordAutomaton.MaxPatternLength)
            throw new LexiconFormatException($"{word.Origin}: '{word.Text}' is longer than {WordAutomaton.MaxPatternLength} characters.");
        if (normalized.Any(char.IsSurrogate))
            throw new LexiconFormatException($"{word.Origin}: '{word.Text}' has characters outside the Basic Multilingual Plane, which the matcher does not support.");
        return normalized;
    }
}
