using Kefu.Service.Knowledge;
using Kefu.Storage.Postgres;

namespace Kefu.Cli.Commands;

/// <summary>A knowledge base opened for one <c>kefu kb</c> command: SQLite's knowledge.db or the shared PostgreSQL database.</summary>
internal sealed record OpenedKnowledgeBase(IKnowledgeBase KnowledgeBase, IEmbeddingCounters Counters, PostgresDatabase? Database) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
