namespace Kefu.Service.Knowledge;

/// <summary>A chunk found for a query.</summary>
/// <param name="Id">The chunk's row id in the knowledge base.</param>
/// <param name="Source">The file it was imported from (file name, as cited to customers).</param>
/// <param name="Anchor">Where in the file: a FAQ id or a section number.</param>
/// <param name="Title">The heading path or FAQ question.</param>
/// <param name="Text">The section text or FAQ answer.</param>
/// <param name="Kind">Section or FAQ entry.</param>
/// <param name="Confidence">
/// How much of the question's content this chunk explains, 0–1: the rarity-weighted share of the question's
/// characters covered by bigrams the chunk contains. Unlike a raw BM25 score it is comparable across queries, so
/// one threshold can separate "answerable" from "I don't know". With dense retrieval on, the calibrated
/// <paramref name="Similarity"/> counts too: the confidence is the larger of the two.
/// </param>
/// <param name="Bm25">SQLite FTS5's bm25() for the chunk (lower is better, as FTS5 reports it; 0 when only embeddings found it).</param>
/// <param name="Similarity">Cosine similarity of the question's and the chunk's embeddings; null when not among the nearest or dense retrieval is off.</param>
public sealed record KnowledgeHit(
    long Id, string Source, string Anchor, string Title, string Text, KnowledgeChunkKind Kind, double Confidence, double Bm25, double? Similarity = null);
