using Kefu.Service.Knowledge;
using Npgsql;
using NpgsqlTypes;

namespace Kefu.Storage.Postgres;

/// <summary>
/// The read side: BM25 candidates computed in SQL from the postings, re-ranked by coverage into confidences by the
/// same <see cref="LexicalRanker"/> as SqliteKnowledgeBase.Search.
/// </summary>
public sealed partial class PostgresKnowledgeBase
{
    private const double TitleWeight = 2.0;
    private const double BodyWeight = 1.0;
    private const double K1 = 1.2;
    private const double B = 0.75;
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
            var question = new SearchQuestion(runs, terms, _cache.For(generation), documentCount);
            var lexical = await Lexical(connection).RankAsync(question, cancellationToken).ConfigureAwait(false);
            if (_dense is null)
                return (IReadOnlyList<KnowledgeHit>)lexical.Take(limit).ToList();
            return await FuseWithDenseAsync(connection, generation, question, query, lexical, limit, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>The shared lexical ranking, reading term statistics and BM25 candidates (SQL over the postings) through <paramref name="connection"/>.</summary>
    private LexicalRanker Lexical(NpgsqlConnection connection) => new(
        (terms, cancellationToken) => CountChunksAsync(connection, terms, cancellationToken),
        (terms, cancellationToken) => FindInTitlesAsync(connection, terms, cancellationToken),
        (terms, cancellationToken) => FindCandidatesAsync(connection, terms, cancellationToken));

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

    private static async Task<Dictionary<string, long>> CountChunksAsync(NpgsqlConnection connection, List<string> terms, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT term, count(*) FROM kb_postings WHERE term = ANY(@terms) GROUP BY term", connection);
        command.Parameters.Add(new NpgsqlParameter("terms", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = terms.ToArray() });
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            found[reader.GetString(0)] = reader.GetInt64(1);
        return found;
    }

    private static async Task<HashSet<string>> FindInTitlesAsync(NpgsqlConnection connection, List<string> terms, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT DISTINCT term FROM kb_postings WHERE term = ANY(@terms) AND title_tf > 0", connection);
        command.Parameters.Add(new NpgsqlParameter("terms", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = terms.ToArray() });
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            found.Add(reader.GetString(0));
        return found;
    }
}
