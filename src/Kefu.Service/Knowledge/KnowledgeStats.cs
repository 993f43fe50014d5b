namespace Kefu.Service.Knowledge;

/// <summary>Size of a knowledge base.</summary>
public sealed record KnowledgeStats(int Sources, int Chunks);
