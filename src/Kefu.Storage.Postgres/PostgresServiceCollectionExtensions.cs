using Kefu.Service.Dialogue;
using Kefu.Service.Embeddings;
using Kefu.Service.Knowledge;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Kefu.Storage.Postgres;

/// <summary>Puts the service's stores in PostgreSQL instead of the embedded SQLite files.</summary>
public static class PostgresServiceCollectionExtensions
{
    /// <summary>
    /// Replaces the session store (sessions, conversation log, agent queue, corrected answers) and adds its change feed
    /// (LISTEN/NOTIFY, so replicas see each other's writes at once), replaces the conversation-log reader
    /// (analytics, learning loop) and the knowledge base
    /// (chunks, postings, vectors) registered by <c>AddKefuService</c> with PostgreSQL ones on
    /// <paramref name="connectionString"/>; call it after <c>AddKefuService</c>. The schema is migrated when the
    /// database is first needed (at start-up, by the knowledge import and readiness check).
    /// </summary>
    public static IServiceCollection AddKefuPostgres(this IServiceCollection services, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.TryAddSingleton(_ => PostgresDatabase.Open(connectionString));
        services.Replace(ServiceDescriptor.Singleton<ISessionStore>(sp =>
            new PostgresSessionStore(sp.GetRequiredService<PostgresDatabase>(), sp.GetRequiredService<TimeProvider>())));
        services.Replace(ServiceDescriptor.Singleton<ISessionChangeFeed>(sp => new PostgresSessionChanges(
            sp.GetRequiredService<PostgresDatabase>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PostgresSessionChanges>>())));
        services.Replace(ServiceDescriptor.Singleton<IConversationLogReader>(sp => new PostgresConversationLogReader(sp.GetRequiredService<PostgresDatabase>())));
        services.Replace(ServiceDescriptor.Singleton<IKnowledgeBase>(sp =>
            new PostgresKnowledgeBase(
                sp.GetRequiredService<PostgresDatabase>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<DenseRetrieval>(),
                sp.GetService<DenseRetrievalMetrics>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<PostgresKnowledgeBase>())));
        return services;
    }
}
