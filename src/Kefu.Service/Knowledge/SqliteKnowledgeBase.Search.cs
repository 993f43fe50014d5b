using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Kefu.Service.Knowledge;

/// <summary>The read side: BM25 candidates from FTS5, re-ranked by coverage into confidences.</summary>
public sealed partial class SqliteKnowledgeBase
{
    private const double TitleWeight = 2.0;
    private const double BodyWeight = 1.0;
    private const double Bm25RankingShare = 0.3;
    private const double CommonTermShare = 0.02;
    private const long CommonTermFloor = 1000;
    private const int AlwaysMatchedTerms = 4;
    private readonly TermStatisticsCache _cache = new();

    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int limit, CancellationToken cancellationToken)
    {
        var runs = SearchText.Runs(query);
        var terms = SearchText.QueryTerms(runs);
        if (terms.Count == 0 || limit <= 0)
            return [];

        await using var connection = OpenConnection();
        var (generation, documentCount) = await ReadStateAsync(connection, cancellationToken).ConfigureAwait(false);
        var question = new Question(runs, terms, _cache.For(generation), documentCount);
        var lexical = await RankLexicallyAsync(connection, question, cancellationToken).ConfigureAwait(false);
        if (_dense is null)
            return lexical.Take(limit).ToList();
        return await FuseWithDenseAsync(connection, generation, question, query, lexical, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The BM25 candidates with their confidences, best first (not yet cut to the caller's limit).</summary>
    private async Task<List<KnowledgeHit>> RankLexicallyAsync(SqliteConnection connection, Question question, CancellationToken cancellationToken)
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

        // Rank by coverage plus a share of the BM25 score relative to the best candidate: coverage alone favours
        // long chunks that happen to contain the question's characters; BM25 alone cannot say "not covered".
        var bestBm25 = scored.Min(c => c.Bm25);
        return scored
            .OrderByDescending(c => c.Confidence + (Bm25RankingShare * (bestBm25 < 0 ? c.Bm25 / bestBm25 : 0)))
            .ThenBy(c => c.Bm25)
            .ToList();
    }

    /// <summary>Each hit with its coverage confidence for the question (see <see cref="HitScorer"/>).</summary>
    private async Task<List<KnowledgeHit>> ScoreAsync(SqliteConnection connection, Question question, List<KnowledgeHit> hits, CancellationToken cancellationToken)
    {
        var cache = question.Cache;
        await LoadFrequenciesAsync(connection, cache, AnswerCoverage.WeightedTerms(question.Runs), cancellationToken).ConfigureAwait(false);
        var titleWeighted = hits.Where(c => c.Kind == KnowledgeChunkKind.Faq).SelectMany(c => AnswerCoverage.WeightedTerms(SearchText.Runs(c.Title)));
        await LoadFrequenciesAsync(connection, cache, titleWeighted, cancellationToken).ConfigureAwait(false);
        await LoadTitleMembershipAsync(connection, cache, question.Terms, cancellationToken).ConfigureAwait(false);
        var statistics = new TermStatistics(question.DocumentCount, cache.Frequencies, term => cache.InTitles.GetValueOrDefault(term));
        return hits.ConvertAll(c => c with { Confidence = HitScorer.Score(question.Runs, question.Terms, c, ChunkTerms(cache, c), statistics) });
    }

    /// <summary>
    /// The query terms worth matching: terms no chunk contains are dropped, and in a large knowledge base so are
    /// terms in more than <see cref="CommonTermShare"/> of the chunks (keeping the rarest few whatever their
    /// frequency). A term in tens of thousands of chunks adds almost nothing to BM25 but makes FTS5 score every one
    /// of them; coverage, computed afterwards, still counts every character of the question.
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

    private async Task<List<KnowledgeHit>> FindCandidatesAsync(SqliteConnection connection, List<string> terms, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Invariant($"""
            SELECT c.id, s.display_name, c.anchor, c.title, c.text, c.kind, f.score
            FROM (SELECT rowid AS id, bm25(kb_fts, {TitleWeight}, {BodyWeight}) AS score
                  FROM kb_fts WHERE kb_fts MATCH $match ORDER BY score LIMIT $candidates) AS f
            JOIN kb_chunks c ON c.id = f.id
            JOIN kb_sources s ON s.key = c.source_key
            ORDER BY f.score
            """);
        // Each term is quoted as an FTS5 string, so no query text can be read as FTS5 syntax.
        command.Parameters.AddWithValue("$match", string.Join(" OR ", terms.Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"")));
        command.Parameters.AddWithValue("$candidates", CandidateCount);
        var hits = new List<KnowledgeHit>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            hits.Add(new KnowledgeHit(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                (KnowledgeChunkKind)reader.GetInt32(5), Confidence: 0, Bm25: reader.GetDouble(6)));
        }
        return hits;
    }

    private static async Task<(long Generation, long DocumentCount)> ReadStateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT coalesce((SELECT value FROM kb_meta WHERE key = 'generation'), 0), coalesce((SELECT sum(chunk_count) FROM kb_sources), 0)
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task LoadFrequenciesAsync(
        SqliteConnection connection, TermStatisticsCache.Generation cache, IEnumerable<string> terms, CancellationToken cancellationToken)
    {
        var missing = terms.Where(t => !cache.Frequencies.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0)
            return;
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT term, doc FROM kb_vocab WHERE term IN ({Parameters(command, "t", missing)})";
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                found[reader.GetString(0)] = reader.GetInt64(1);
        }
        foreach (var term in missing)
            cache.Remember(cache.Frequencies, term, found.GetValueOrDefault(term));
    }

    private static async Task LoadTitleMembershipAsync(
        SqliteConnection connection, TermStatisticsCache.Generation cache, IEnumerable<string> terms, CancellationToken cancellationToken)
    {
        var missing = terms.Where(t => !cache.InTitles.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0)
            return;
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT term FROM kb_vocab_by_column WHERE col = 'title_terms' AND term IN ({Parameters(command, "t", missing)})";
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                found.Add(reader.GetString(0));
        }
        foreach (var term in missing)
            cache.Remember(cache.InTitles, term, found.Contains(term));
    }

    /// <summary>Adds one parameter per value and returns their names for an IN (...) list ('' when empty).</summary>
    private static string Parameters(SqliteCommand command, string prefix, List<string> values)
    {
        if (values.Count == 0)
            return "''";
        var names = new StringBuilder();
        for (var i = 0; i < values.Count; i++)
        {
            var name = "$" + prefix + i.ToString(CultureInfo.InvariantCulture);
            command.Parameters.AddWithValue(name, values[i]);
            names.Append(i == 0 ? "" : ", ").Append(name);
        }
        return names.ToString();
    }
}
