namespace Kefu.Evaluation.Analytics;

/// <summary>Unanswered questions that say nearly the same thing: a pain point the knowledge base lacks.</summary>
/// <param name="Representative">The question most similar to the rest of the cluster (PII masked).</param>
/// <param name="Size">How many unanswered turns asked it.</param>
/// <param name="Sessions">In how many conversations.</param>
/// <param name="Examples">Up to five distinct phrasings (PII masked).</param>
public sealed record QuestionCluster(string Representative, int Size, int Sessions, IReadOnlyList<string> Examples);
