using Kefu.Server.Api;

namespace Kefu.Server.Hosting;

/// <summary>The request pipeline and the endpoints.</summary>
internal static class ServerPipelineExtensions
{
    public static WebApplication MapKefuServer(this WebApplication app)
    {
        app.UseExceptionHandler();
        // Errors raised below the endpoints (413 from Kestrel's body limit, 400 from unreadable JSON) have no body;
        // this gives them a ProblemDetails one.
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapHealthApi();
        app.MapChatApi();
        app.MapOpenAiApi();
        app.MapAgentApi();
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
