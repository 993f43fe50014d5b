namespace Kefu.Evaluation.Scoring;

/// <summary>
/// ROUGE-L over characters: the longest common subsequence of candidate and reference gives precision LCS/|cand|
/// and recall LCS/|ref|, combined as F1 (β = 1). Character level suits Chinese, which has no word boundaries.
/// </summary>
public static class CharRougeL
{
    public static double F1(string candidate, string reference)
    {
        var c = CharacterText.Units(candidate);
        var r = CharacterText.Units(reference);
        if (c.Length == 0 || r.Length == 0)
            return c.Length == r.Length ? 1 : 0;
        var lcs = LongestCommonSubsequence(c, r);
        if (lcs == 0)
            return 0;
        var precision = (double)lcs / c.Length;
        var recall = (double)lcs / r.Length;
        return 2 * precision * recall / (precision + recall);
    }

    internal static int LongestCommonSubsequence(string[] a, string[] b)
    {
        // Two rows of the classic table: O(|a|·|b|) time, O(|b|) memory.
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
                current[j] = string.Equals(a[i - 1], b[j - 1], StringComparison.Ordinal) ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
