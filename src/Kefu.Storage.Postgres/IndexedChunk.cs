using Kefu.Service.Knowledge;

namespace Kefu.Storage.Postgres;

/// <summary>
/// A chunk's index terms as the SQLite FTS5 index holds them: every term of <c>SearchText.IndexTerms</c> counted
/// per column (title, body), and the chunk's length in terms (BM25's document length, both columns together).
/// </summary>
internal sealed record IndexedChunk(int TermCount, IReadOnlyList<(string Term, int TitleCount, int BodyCount)> Postings)
{
    public static IndexedChunk From(KnowledgeChunk chunk)
    {
        var title = SearchText.IndexTerms(chunk.Title);
        var body = SearchText.IndexTerms(chunk.Text);
        var counts = new Dictionary<string, (int Title, int Body)>(StringComparer.Ordinal);
        foreach (var term in title.Where(Indexable))
            counts[term] = (counts.GetValueOrDefault(term).Title + 1, counts.GetValueOrDefault(term).Body);
        foreach (var term in body.Where(Indexable))
            counts[term] = (counts.GetValueOrDefault(term).Title, counts.GetValueOrDefault(term).Body + 1);
        return new IndexedChunk(title.Count + body.Count, counts.Select(c => (c.Key, c.Value.Title, c.Value.Body)).ToList());
    }

    public static bool Indexable(string term) => term.Length <= PostgresKnowledgeBase.MaxTermLength;
}
