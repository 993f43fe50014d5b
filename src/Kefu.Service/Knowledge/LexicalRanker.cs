namespace Kefu.Service.Knowledge;

/// <summary>
/// The store-independent half of lexical search, shared by the SQLite and PostgreSQL knowledge bases so both rank
/// alike: which query terms are matched, how the BM25 candidates are scored by coverage (<see cref="HitScorer"/>)
/// and how they are ranked. The store supplies only its queries, bound to its open connection.
/// </summary>
/// <param name="countChunks">Of the given terms, those in any chunk, with how many chunks contain each.</param>
/// <param name="findInTitles">Of the given terms, those in any chunk's title.</param>
/// <param name="findCandidates">The best BM25 candidates for the given match terms (Bm25 set, lower is better).</param>
internal sealed class LexicalRanker(
    Func<List<string>, CancellationToken, Task<Dictionary<string, long>>> countChunks,
    Func<List<string>, CancellationToken, Task<HashSet<string>>> findInTitles,
    Func<List<string>, CancellationToken, Task<List<KnowledgeHit>>> findCandidates)
{
    private const double Bm25RankingShare = 0.3;
    private const double CommonTermShare = 0.02;
    private const long CommonTermFloor = 1000;
    private const int AlwaysMatchedTerms = 4;

    /// <summary>The BM25 candidates with their confidences, best first (not yet cut to the caller's limit).</summary>
    public async Task<List<KnowledgeHit>> RankAsync(SearchQuestion question, CancellationToken cancellationToken)
    {
        var cache = question.Cache;
        var queryWeighted = AnswerCoverage.WeightedTerms(question.Runs).ToList();
        await LoadFrequenciesAsync(cache, question.Terms.Concat(queryWeighted), cancellationToken).ConfigureAwait(false);
        var matchTerms = ChooseMatchTerms(question.Terms, cache, question.DocumentCount);
        if (matchTerms.Count == 0)
            return [];
        var candidates = await findCandidates(matchTerms, cancellationToken).ConfigureAwait(false);
        if (candidates.Count == 0)
            return [];
        var scored = await ScoreAsync(question, candidates, cancellationToken).ConfigureAwait(false);

        // Rank by coverage plus a share of the BM25 score relative to the best candidate: coverage alone favours
        // long chunks that happen to contain the question's characters; BM25 alone cannot say "not covered".
        var bestBm25 = scored.Min(c => c.Bm25);
        return scored
            .OrderByDescending(c => c.Confidence + (Bm25RankingShare * (bestBm25 < 0 ? c.Bm25 / bestBm25 : 0)))
            .ThenBy(c => c.Bm25)
            .ToList();
    }

    /// <summary>Each hit with its coverage confidence for the question (see <see cref="HitScorer"/>).</summary>
    public async Task<List<KnowledgeHit>> ScoreAsync(SearchQuestion question, List<KnowledgeHit> hits, CancellationToken cancellationToken)
    {
        var cache = question.Cache;
        await LoadFrequenciesAsync(cache, AnswerCoverage.WeightedTerms(question.Runs), cancellationToken).ConfigureAwait(false);
        var titleWeighted = hits.Where(c => c.Kind == KnowledgeChunkKind.Faq).SelectMany(c => AnswerCoverage.WeightedTerms(SearchText.Runs(c.Title)));
        await LoadFrequenciesAsync(cache, titleWeighted, cancellationToken).ConfigureAwait(false);
        await LoadTitleMembershipAsync(cache, question.Terms, cancellationToken).ConfigureAwait(false);
        var statistics = new TermStatistics(question.DocumentCount, cache.Frequencies, term => cache.InTitles.GetValueOrDefault(term));
        return hits.ConvertAll(c => c with { Confidence = HitScorer.Score(question.Runs, question.Terms, c, ChunkTerms(cache, c), statistics) });
    }

    /// <summary>
    /// The query terms worth matching: terms no chunk contains are dropped, and in a large knowledge base so are
    /// terms in more than <see cref="CommonTermShare"/> of the chunks (keeping the rarest few whatever their
    /// frequency). A term in tens of thousands of chunks adds almost nothing to BM25 but makes the store score every
    /// one of them; coverage, computed afterwards, still counts every character of the question.
    /// </summary>
    private static List<string> ChooseMatchTerms(List<string> terms, TermStatisticsCache.Generation cache, long documentCount)
    {
        var cap = Math.Max(CommonTermFloor, (long)(documentCount * CommonTermShare));
        var present = terms.Where(t => cache.Frequencies.GetValueOrDefault(t) > 0).OrderBy(t => cache.Frequencies[t]).ToList();
        return present.Where((t, rank) => rank < AlwaysMatchedTerms || cache.Frequencies[t] <= cap).ToList();
    }

    private static HashSet<string> ChunkTerms(TermStatisticsCache.Generation cache, KnowledgeHit hit)
    {
        if (cache.ChunkTerms.TryGetValue(hit.Id, out var known))
            return known;
        var terms = SearchText.IndexTerms(hit.Title + "\n" + hit.Text).ToHashSet(StringComparer.Ordinal);
        cache.Remember(cache.ChunkTerms, hit.Id, terms);
        return terms;
    }

    private async Task LoadFrequenciesAsync(TermStatisticsCache.Generation cache, IEnumerable<string> terms, CancellationToken cancellationToken)
    {
        var missing = terms.Where(t => !cache.Frequencies.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0)
            return;
        var found = await countChunks(missing, cancellationToken).ConfigureAwait(false);
        foreach (var term in missing)
            cache.Remember(cache.Frequencies, term, found.GetValueOrDefault(term));
    }

    private async Task LoadTitleMembershipAsync(TermStatisticsCache.Generation cache, IEnumerable<string> terms, CancellationToken cancellationToken)
    {
        var missing = terms.Where(t => !cache.InTitles.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0)
            return;
        var found = await findInTitles(missing, cancellationToken).ConfigureAwait(false);
        foreach (var term in missing)
            cache.Remember(cache.InTitles, term, found.Contains(term));
    }
}
