namespace Kefu.Service.Knowledge;

/// <summary>The SQLite knowledge base reports its embedding calls as every store does (<see cref="IEmbeddingCounters"/>).</summary>
public sealed partial class SqliteKnowledgeBase : IEmbeddingCounters;
