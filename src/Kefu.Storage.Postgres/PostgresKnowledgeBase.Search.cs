using Kefu.Service.Knowledge;
using Npgsql;
using NpgsqlTypes;

namespace Kefu.Storage.Postgres;

/// <summary>
/// The read side: BM25 candidates computed in SQL from the postings, re-ranked by coverage into confidences — the
/// same steps and constants as SqliteKnowledgeBase.Search.
/// </summary>
public sealed partial class PostgresKnowledgeBase
{
    private const double TitleWeight = 2.0;
    private const double BodyWeight = 1.0;
    private const double K1 = 1.2;
    private const double B = 0.75;
    private const double Bm25RankingShare = 0.3;
    private const double CommonTermShare = 0.02;
    private const long CommonTermFloor = 1000;
    private const int AlwaysMatchedTerms = 4;
    private readonly TermStatisticsCache _cache = new();

    public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int limit, CancellationToken cancellationToken)
    {
        var runs = SearchText.Runs(query);
        var terms = SearchText.QueryTerms(runs).Where(IndexedChunk.Indexable).ToList();
        if (terms.Count == 0 || limit <= 0)
            return Task.FromResult<IReadOnlyList<KnowledgeHit>>([]);
        return _database.RunAsync(async connection =>
        {
            var (generation, documentCount) = await ReadStateAsync(connection, cancellationToken).ConfigureAwait(false);
            var question = new Question(runs, terms, _cache.For(generation), documentCount);
            var lexical = await RankLexicallyAsync(connection, question, cancellationToken).ConfigureAwait(false);
            if (_dense is null)
                return (IReadOnlyList<KnowledgeHit>)lexical.Take(limit).ToList();
            return await FuseWithDenseAsync(connection, generation, question, query, lexical, limit, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    private async Task<List<KnowledgeHit>> RankLexicallyAsync(NpgsqlConnection connection, Question question, CancellationToken cancellationToken)
    {
        var cache = question.Cache;
        var queryWeighted = AnswerCoverage.WeightedTerms(question.Runs).ToList();
        await LoadFrequenciesAsync(connection, cache, question.Terms.Concat(queryWeighted), cancellationToken).ConfigureAwait(false);
        var matchTerms = ChooseMatchTerms(question.Terms, cache, question.DocumentCount);
        if (matchTerms.Count == 0)
            return [];
        var candidates = await FindCandidatesAsync(connection, matchTerms, cancellationToken).ConfigureAwait(false);
        if (candidates.Count == 0)
            return [];
        var scored = await ScoreAsync(connection, question, candidates, cancellationToken).ConfigureAwait(false);

        // As on SQLite: coverage plus a share of BM25 relative to the best candidate (scores are negated, lower is better).
        var bestBm25 = scored.Min(c => c.Bm25);
        return scored
            .OrderByDescending(c => c.Confidence + (Bm25RankingShare * (bestBm25 < 0 ? c.Bm25 / bestBm25 : 0)))
            .ThenBy(c => c.Bm25)
            .ToList();
    }

    private async Task<List<KnowledgeHit>> ScoreAsync(NpgsqlConnection connection, Question question, List<KnowledgeHit> hits, CancellationToken cancellationToken)
    {
        var cache = question.Cache;
        await LoadFrequenciesAsync(connection, cache, AnswerCoverage.WeightedTerms(question.Runs), cancellationToken).ConfigureAwait(false);
        var titleWeighted = hits.Where(c => c.Kind == KnowledgeChunkKind.Faq).SelectMany(c => AnswerCoverage.WeightedTerms(SearchText.Runs(c.Title)));
        await LoadFrequenciesAsync(connection, cache, titleWeighted, cancellationToken).ConfigureAwait(false);
        await LoadTitleMembershipAsync(connection, cache, question.Terms, cancellationToken).ConfigureAwait(false);
        var statistics = new TermStatistics(question.DocumentCount, cache.Frequencies, term => cache.InTitles.GetValueOrDefault(term));
        return hits.ConvertAll(c => c with { Confidence = HitScorer.Score(question.Runs, question.Terms, c, ChunkTerms(cache, c), statistics) });
    }

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

    /// <summary>
    /// The best <see cref="CandidateCount"/> chunks by BM25 exactly as SQLite FTS5's bm25() computes it: per term,
    /// IDF = ln((N − n + 0.5)/(n + 0.5)) (at least 1e-6), the weighted frequency f = 2·title + 1·body occurrences, and
    /// f·(k1+1)/(f + k1·(1 − b + b·|D|/avgdl)), summed and negated (lower is better, as FTS5 reports it).
    /// </summary>
    private async Task<List<KnowledgeHit>> FindCandidatesAsync(NpgsqlConnection connection, List<string> terms, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            WITH matched AS MATERIALIZED (SELECT term, chunk_id, title_tf, body_tf FROM kb_postings WHERE term = ANY(@terms)),
            corpus AS (SELECT greatest(sum(chunk_count), 1)::float8 AS n, greatest(sum(token_count), 1)::float8 AS tokens FROM kb_sources),
            frequencies AS (SELECT term, count(*)::float8 AS hits FROM matched GROUP BY term),
            scores AS (
                SELECT p.chunk_id AS id,
                    -sum(greatest(ln((s.n - f.hits + 0.5) / (f.hits + 0.5)), 1e-6)
                        * ((@title_weight * p.title_tf + @body_weight * p.body_tf) * (@k1 + 1))
                        / ((@title_weight * p.title_tf + @body_weight * p.body_tf) + @k1 * (1 - @b + @b * c.term_count / (s.tokens / s.n)))) AS score
                FROM matched p
                JOIN frequencies f ON f.term = p.term
                JOIN kb_chunks c ON c.id = p.chunk_id
                CROSS JOIN corpus s
                GROUP BY p.chunk_id
                ORDER BY score, p.chunk_id
                LIMIT @candidates)
            SELECT c.id, s.display_name, c.anchor, c.title, c.text, c.kind, sc.score
            FROM scores sc JOIN kb_chunks c ON c.id = sc.id JOIN kb_sources s ON s.key = c.source_key
            ORDER BY sc.score, c.id
            """, connection);
        command.Parameters.Add(new NpgsqlParameter("terms", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = terms.ToArray() });
        command.Parameters.AddWithValue("title_weight", TitleWeight);
        command.Parameters.AddWithValue("body_weight", BodyWeight);
        command.Parameters.AddWithValue("k1", K1);
        command.Parameters.AddWithValue("b", B);
        command.Parameters.AddWithValue("candidates", CandidateCount);
        var hits = new List<KnowledgeHit>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            hits.Add(ReadHit(reader, bm25: reader.GetDouble(6)));
        return hits;
    }

    private static KnowledgeHit ReadHit(NpgsqlDataReader reader, double bm25) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            (KnowledgeChunkKind)reader.GetInt32(5), Confidence: 0, Bm25: bm25);

    private static async Task<(long Generation, long DocumentCount)> ReadStateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT coalesce((SELECT value FROM kb_meta WHERE key = 'generation'), 0), coalesce((SELECT sum(chunk_count) FROM kb_sources), 0)::bigint
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task LoadFrequenciesAsync(
        NpgsqlConnection connection, TermStatisticsCache.Generation cache, IEnumerable<string> terms, CancellationToken cancellationToken)
    {
        var missing = terms.Where(t => !cache.Frequencies.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0)
            return;
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT term, count(*) FROM kb_postings WHERE term = ANY(@terms) GROUP BY term", connection))
        {
            command.Parameters.Add(new NpgsqlParameter("terms", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = missing.ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                found[reader.GetString(0)] = reader.GetInt64(1);
        }
        foreach (var term in missing)
            cache.Remember(cache.Frequencies, term, found.GetValueOrDefault(term));
    }

    private static async Task LoadTitleMembershipAsync(
        NpgsqlConnection connection, TermStatisticsCache.Generation cache, IEnumerable<string> terms, CancellationToken cancellationToken)
    {
        var missing = terms.Where(t => !cache.InTitles.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0)
            return;
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT DISTINCT term FROM kb_postings WHERE term = ANY(@terms) AND title_tf > 0", connection))
        {
            command.Parameters.Add(new NpgsqlParameter("terms", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = missing.ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                found.Add(reader.GetString(0));
        }
        foreach (var term in missing)
            cache.Remember(cache.InTitles, term, found.Contains(term));
    }

    /// <summary>A question as the scorers need it: its runs and match terms, and the statistics of this generation.</summary>
    private sealed record Question(List<TextRun> Runs, List<string> Terms, TermStatisticsCache.Generation Cache, long DocumentCount);
}
