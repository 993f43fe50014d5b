namespace Kefu.Service.Knowledge;

/// <summary>
/// Turns a BM25 candidate into a confidence (see <see cref="KnowledgeHit.Confidence"/>):
/// <list type="bullet">
/// <item>a section: the share of the question it explains (<see cref="AnswerCoverage"/>);</item>
/// <item>a FAQ entry answers one question, so the geometric mean of that and the share of its own question that the
/// customer's question explains — an answer merely mentioning the customer's words no longer passes for one;</item>
/// <item>either is discounted by <see cref="OffTopicFactor"/> when none of the question's matched terms is one of
/// the knowledge base's topics (a word in some title or FAQ question): "今天天气怎么样" matching a shipping page
/// that mentions 天气 in passing is not a shipping question.</item>
/// </list>
/// </summary>
internal static class HitScorer
{
    public const double OffTopicFactor = 0.3;

    public static double Score(
        IReadOnlyList<TextRun> queryRuns, IReadOnlyList<string> queryTerms, KnowledgeHit hit, IReadOnlySet<string> chunkTerms, TermStatistics statistics)
    {
        var confidence = AnswerCoverage.Compute(queryRuns, chunkTerms, statistics.Weight);
        if (hit.Kind == KnowledgeChunkKind.Faq)
        {
            var customerTerms = queryRuns.SelectMany(r => r.IsCjk ? SearchText.IndexTerms(r.ToString()) : [r.Characters[0]])
                .ToHashSet(StringComparer.Ordinal);
            confidence = Math.Sqrt(confidence * AnswerCoverage.Compute(SearchText.Runs(hit.Title), customerTerms, statistics.Weight));
        }
        var onTopic = queryTerms.Any(t => (t.Length > 1 || !SearchText.IsCjk(System.Text.Rune.GetRuneAt(t, 0)))
            && chunkTerms.Contains(t) && statistics.IsTopical(t));
        return onTopic ? confidence : confidence * OffTopicFactor;
    }
}
