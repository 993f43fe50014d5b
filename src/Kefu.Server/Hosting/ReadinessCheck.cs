using Kefu.Service.Dialogue;
using Kefu.Service.Knowledge;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kefu.Server.Hosting;

/// <summary>
/// Ready when the start-up import has finished, the knowledge base has content, and the session store answers.
/// </summary>
internal sealed class ReadinessCheck(KnowledgeStartupImport import, IKnowledgeBase knowledgeBase, ISessionStore sessions) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!import.Completed)
            return HealthCheckResult.Unhealthy("knowledge import still running");
        var stats = await knowledgeBase.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        await sessions.ListAsync(SessionState.WaitingForHuman, 1, cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object> { ["knowledge_sources"] = stats.Sources, ["knowledge_chunks"] = stats.Chunks };
        return stats.Chunks == 0
            ? HealthCheckResult.Degraded("the knowledge base is empty: every question will get \"don't know\"", data: data)
            : HealthCheckResult.Healthy($"{stats.Chunks} knowledge chunks", data);
    }
}
