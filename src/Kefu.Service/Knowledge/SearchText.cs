using System.Text;

namespace Kefu.Service.Knowledge;

/// <summary>
/// Turns text into search terms that work for Chinese without a dictionary: each run of CJK characters becomes
/// its overlapping character bigrams (the CJK-bigram scheme of Lucene's CJKAnalyzer), every CJK character is also
/// kept as a unigram so its rarity can be measured, and runs of letters/digits become lower-cased words.
/// Unsegmented Chinese cannot be searched with BM25 at all (a whole sentence is one "word"); bigrams recover
/// most of a real segmenter's recall with no dictionary to maintain.
/// </summary>
internal static class SearchText
{
    /// <summary>Full-width forms to half-width, compatibility forms folded (NFKC), Latin lower-cased.</summary>
    public static string Normalize(string text) =>
        text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();

    /// <summary>The runs of CJK characters and the ASCII-like words of <paramref name="text"/>, in order.</summary>
    public static List<TextRun> Runs(string text)
    {
        var runs = new List<TextRun>();
        var normalized = Normalize(text);
        var cjk = new List<string>();
        var word = new StringBuilder();
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (IsCjk(rune))
            {
                FlushWord(word, runs);
                cjk.Add(rune.ToString());
            }
            else if (Rune.IsLetterOrDigit(rune))
            {
                FlushCjk(cjk, runs);
                word.Append(rune.ToString());
            }
            else
            {
                FlushWord(word, runs);
                FlushCjk(cjk, runs);
            }
        }
        FlushWord(word, runs);
        FlushCjk(cjk, runs);
        return runs;
    }

    /// <summary>
    /// Terms stored in the index: CJK bigrams, CJK unigrams (for character rarity, and so a one-character query
    /// can still match), and words.
    /// </summary>
    public static List<string> IndexTerms(string text)
    {
        var terms = new List<string>();
        foreach (var run in Runs(text))
        {
            if (!run.IsCjk)
            {
                terms.Add(run.Characters[0]);
                continue;
            }
            for (var i = 0; i < run.Characters.Count; i++)
            {
                terms.Add(run.Characters[i]);
                if (i + 1 < run.Characters.Count)
                    terms.Add(run.Characters[i] + run.Characters[i + 1]);
            }
        }
        return terms;
    }

    /// <summary>
    /// Terms a query is matched with: bigrams of each CJK run (a unigram only for a one-character run) and words.
    /// Unigrams are left out of matching because nearly every chunk shares some character with any question.
    /// </summary>
    public static List<string> QueryTerms(IReadOnlyList<TextRun> runs)
    {
        var terms = new List<string>();
        foreach (var run in runs)
        {
            if (!run.IsCjk || run.Characters.Count == 1)
            {
                terms.Add(run.Characters[0]);
                continue;
            }
            for (var i = 0; i + 1 < run.Characters.Count; i++)
                terms.Add(run.Characters[i] + run.Characters[i + 1]);
        }
        return terms.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The index terms joined by spaces: the form stored in the FTS5 table (its tokenizer splits on spaces).</summary>
    public static string ToIndexedForm(string text) => string.Join(' ', IndexTerms(text));

    internal static bool IsCjk(Rune rune)
    {
        var value = rune.Value;
        return value is >= 0x4E00 and <= 0x9FFF      // CJK Unified Ideographs
            or >= 0x3400 and <= 0x4DBF               // Extension A
            or >= 0x20000 and <= 0x2FA1F             // Extensions B–F, compatibility supplement
            or >= 0xF900 and <= 0xFAFF               // compatibility ideographs
            or >= 0x3040 and <= 0x30FF               // kana
            or >= 0xAC00 and <= 0xD7AF;              // Hangul syllables
    }

    private static void FlushWord(StringBuilder word, List<TextRun> runs)
    {
        if (word.Length == 0)
            return;
        runs.Add(new TextRun(false, [word.ToString()]));
        word.Clear();
    }

    private static void FlushCjk(List<string> cjk, List<TextRun> runs)
    {
        if (cjk.Count == 0)
            return;
        runs.Add(new TextRun(true, [.. cjk]));
        cjk.Clear();
    }
}
