using System.Globalization;
using System.Text;

namespace Kefu.Evaluation.Scoring;

/// <summary>
/// Text as the character-level scores see it: Chinese has no spaces between words, so the unit is the character
/// (text element), with whitespace and punctuation dropped and full-width forms folded (NFKC), lower case.
/// </summary>
internal static class CharacterText
{
    public static string[] Units(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var units = new List<string>(normalized.Length);
        var elements = StringInfo.GetTextElementEnumerator(normalized);
        while (elements.MoveNext())
        {
            var element = (string)elements.Current;
            var category = CharUnicodeInfo.GetUnicodeCategory(element, 0);
            if (char.IsWhiteSpace(element, 0) || IsPunctuation(category))
                continue;
            units.Add(element);
        }
        return [.. units];
    }

    private static bool IsPunctuation(UnicodeCategory category) => category is UnicodeCategory.ConnectorPunctuation
        or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
        or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
}
