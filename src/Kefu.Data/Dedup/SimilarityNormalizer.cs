using System.Globalization;
using System.Text;

namespace Kefu.Data.Dedup;

/// <summary>
/// Normalises text for similarity: NFKC (full-width letters, digits and punctuation become half-width), lower case,
/// and only letters and digits kept — so "退货，怎么办？" and "退货,怎么办?" compare equal.
/// </summary>
public static class SimilarityNormalizer
{
    public static string Normalize(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormKC);
        var result = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            var category = char.GetUnicodeCategory(c);
            if (char.IsLetterOrDigit(c) || category == UnicodeCategory.OtherLetter)
                result.Append(char.ToLowerInvariant(c));
        }
        return result.ToString();
    }
}
