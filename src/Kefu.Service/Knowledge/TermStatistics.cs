namespace Kefu.Service.Knowledge;

/// <summary>
/// What the knowledge base knows about a query's terms: how many chunks use each (for weights) and which appear in
/// some title or FAQ question — the knowledge base's topics, as opposed to words its text merely mentions.
/// </summary>
internal sealed class TermStatistics(long documentCount, IReadOnlyDictionary<string, long> documentFrequencies, Func<string, bool> inTitles)
{
    public double Weight(string term) => AnswerCoverage.Weight(documentFrequencies.GetValueOrDefault(term), documentCount);

    public bool IsTopical(string term) => inTitles(term);
}
