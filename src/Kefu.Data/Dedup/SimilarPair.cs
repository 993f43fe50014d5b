namespace Kefu.Data.Dedup;

/// <summary>Two texts whose shingle sets have Jaccard similarity at or above the threshold.</summary>
/// <param name="First">Index of the earlier text (or of the corpus text, for queries).</param>
/// <param name="Second">Index of the later text (or of the query).</param>
/// <param name="Jaccard">Exact Jaccard similarity of the two shingle sets.</param>
public sealed record SimilarPair(int First, int Second, double Jaccard);
