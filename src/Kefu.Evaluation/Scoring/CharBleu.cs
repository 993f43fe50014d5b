namespace Kefu.Evaluation.Scoring;

/// <summary>
/// Sentence BLEU-4 over characters with a brevity penalty and add-one smoothing of the 2- to 4-gram precisions
/// (Lin and Och 2004, "smoothing 2"), so one short reply without a matching 4-gram does not score zero.
/// </summary>
public static class CharBleu
{
    public const int MaxOrder = 4;

    public static double Score(string candidate, string reference)
    {
        var c = CharacterText.Units(candidate);
        var r = CharacterText.Units(reference);
        if (c.Length == 0 || r.Length == 0)
            return 0;
        var logSum = 0.0;
        for (var n = 1; n <= MaxOrder; n++)
        {
            var candidateGrams = Count(c, n);
            var referenceGrams = Count(r, n);
            var total = Math.Max(0, c.Length - n + 1);
            var matched = candidateGrams.Sum(g => Math.Min(g.Value, referenceGrams.GetValueOrDefault(g.Key)));
            double precision = n == 1
                ? (total == 0 ? 0 : (double)matched / total)
                : (matched + 1.0) / (total + 1.0);
            if (precision <= 0)
                return 0;
            logSum += Math.Log(precision) / MaxOrder;
        }
        var brevity = c.Length >= r.Length ? 1 : Math.Exp(1 - (double)r.Length / c.Length);
        return brevity * Math.Exp(logSum);
    }

    private static Dictionary<string, int> Count(string[] units, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + n <= units.Length; i++)
        {
            var gram = string.Concat(units.AsSpan(i, n));
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }
        return counts;
    }
}
