using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Kefu.Server.Api;

/// <summary><c>/healthz</c>: the process answers (liveness). <c>/readyz</c>: it can serve customers (readiness).</summary>
internal static class HealthApi
{
    public static void MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
    }
}
