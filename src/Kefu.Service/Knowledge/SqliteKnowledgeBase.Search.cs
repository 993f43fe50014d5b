using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Kefu.Service.Knowledge;

/// <summary>The read side: BM25 candidates from FTS5, re-ranked by coverage into confidences (<see cref="LexicalRanker"/>).</summary>
public sealed partial class SqliteKnowledgeBase
{
    private const double TitleWeight = 2.0;
    private const double BodyWeight = 1.0;
    private readonly TermStatisticsCache _cache = new();

    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int limit, CancellationToken cancellationToken)
    {
        var runs = SearchText.Runs(query);
        var terms = SearchText.QueryTerms(runs);
        if (terms.Count == 0 || limit <= 0)
            return [];

        await using var connection = OpenConnection();
        var (generation, documentCount) = await ReadStateAsync(connection, cancellationToken).ConfigureAwait(false);
        var question = new SearchQuestion(runs, terms, _cache.For(generation), documentCount);
        var lexical = await Lexical(connection).RankAsync(question, cancellationToken).ConfigureAwait(false);
        if (_dense is null)
            return lexical.Take(limit).ToList();
        return await FuseWithDenseAsync(connection, generation, question, query, lexical, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The shared lexical ranking, reading term statistics and BM25 candidates (FTS5) through <paramref name="connection"/>.</summary>
    private LexicalRanker Lexical(SqliteConnection connection) => new(
        (terms, cancellationToken) => CountChunksAsync(connection, terms, cancellationToken),
        (terms, cancellationToken) => FindInTitlesAsync(connection, terms, cancellationToken),
        (terms, cancellationToken) => FindCandidatesAsync(connection, terms, cancellationToken));

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

    private static async Task<Dictionary<string, long>> CountChunksAsync(SqliteConnection connection, List<string> terms, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT term, doc FROM kb_vocab WHERE term IN ({Parameters(command, "t", terms)})";
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            found[reader.GetString(0)] = reader.GetInt64(1);
        return found;
    }

    private static async Task<HashSet<string>> FindInTitlesAsync(SqliteConnection connection, List<string> terms, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT term FROM kb_vocab_by_column WHERE col = 'title_terms' AND term IN ({Parameters(command, "t", terms)})";
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            found.Add(reader.GetString(0));
        return found;
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
