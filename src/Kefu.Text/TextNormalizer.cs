using System.Globalization;
using System.Text;

namespace Kefu.Text;

/// <summary>
/// Folds Chinese customer text into a canonical form for word matching (the sensitive-word filter, keyword rules):
/// full-width to half-width, case, and optionally the separators inserted between characters. Each step maps one
/// character to one character or drops it, so <see cref="NormalizeWithOffsets"/> can map matches back.
/// </summary>
/// <remarks>
/// Traditional→simplified conversion is not included: .NET has no conversion table and Kefu ships none, so a lexicon
/// that must catch traditional spellings lists them itself.
/// </remarks>
public static class TextNormalizer
{
    public static string Normalize(string text, TextNormalizationOptions options = TextNormalizationOptions.Default) =>
        NormalizeWithOffsets(text, options).Text;

    public static NormalizedText NormalizeWithOffsets(string text, TextNormalizationOptions options = TextNormalizationOptions.Default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        var sourceIndex = new List<int>(text.Length);
        var position = 0;
        while (position < text.Length)
        {
            var length = 1;
            Rune rune;
            if (char.IsHighSurrogate(text[position]) && position + 1 < text.Length && char.IsLowSurrogate(text[position + 1]))
            {
                rune = new Rune(text[position], text[position + 1]);
                length = 2;
            }
            else if (!Rune.TryCreate(text[position], out rune))
            {
                rune = Rune.ReplacementChar; // a lone surrogate
            }

            if (TryFold(rune, options, out rune))
            {
                var start = builder.Length;
                builder.Append(rune.ToString());
                for (var i = start; i < builder.Length; i++)
                    sourceIndex.Add(position + Math.Min(i - start, length - 1));
            }
            position += length;
        }
        return new NormalizedText(builder.ToString(), [.. sourceIndex]);
    }

    /// <summary>
    /// Folds one character as <see cref="NormalizeWithOffsets"/> does: false when <paramref name="options"/> drop it
    /// (a separator), else the folded character. Matchers that fold character by character (the sensitive-word
    /// automaton builds a lookup table from it) call this so their folding never drifts from the normaliser's.
    /// </summary>
    public static bool TryFold(Rune rune, TextNormalizationOptions options, out Rune folded)
    {
        if (options.HasFlag(TextNormalizationOptions.FoldWidth))
            rune = FoldWidth(rune);
        if (options.HasFlag(TextNormalizationOptions.FoldCase))
            rune = Rune.ToLowerInvariant(rune);
        folded = rune;
        return !(options.HasFlag(TextNormalizationOptions.RemoveSeparators) && IsSeparator(rune));
    }

    private static Rune FoldWidth(Rune rune) => rune.Value switch
    {
        >= 0xFF01 and <= 0xFF5E => new Rune(rune.Value - 0xFEE0), // ！..～ → !..~
        0x3000 => new Rune(' '),
        0xFFE0 => new Rune('¢'),
        0xFFE1 => new Rune('£'),
        0xFFE2 => new Rune('¬'),
        0xFFE3 => new Rune('¯'),
        0xFFE4 => new Rune('¦'),
        0xFFE5 => new Rune('¥'),
        0xFFE6 => new Rune('₩'),
        _ => rune,
    };

    private static bool IsSeparator(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation
            or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol => true,
        _ => false,
    };
}
