using Kefu.Server.Api;
using Kefu.Server.Api.Ui;
using Kefu.Server.Security;

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
        app.UseSecurityHeaders();
        app.UseKefuCors(app.Services.GetRequiredService<KefuServerOptions>());
        app.UseKefuUi();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapHealthApi();
        app.MapChatApi();
        app.MapOpenAiApi();
        app.MapAgentApi();
        app.MapKefuUi(app.Services.GetRequiredService<KefuServerOptions>());
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
