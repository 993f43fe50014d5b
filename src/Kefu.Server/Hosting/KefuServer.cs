using Kefu.Server.Backends;
using Kefu.Service.Embeddings;

namespace Kefu.Server.Hosting;

/// <summary>Builds the Kefu web application from options: what <c>kefu serve</c>, Program.cs and the tests start.</summary>
public static class KefuServer
{
    /// <summary>
    /// Builds (does not start) the server. Model backends are resolved here, so a misconfigured backend fails now,
    /// with a message, rather than at the first customer.
    /// </summary>
    public static async Task<WebApplication> BuildAsync(
        KefuServerOptions options, Action<WebApplicationBuilder>? customize = null, CancellationToken cancellationToken = default)
    {
        if (options.ApiKeys.Count == 0)
            throw new InvalidOperationException("No API key configured: give at least one (kefu serve --api-key KEY).");
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
            throw new InvalidOperationException("No data directory configured.");
        var backends = await ChatBackendFactory.CreateAsync(options, cancellationToken).ConfigureAwait(false);
        var embeddings = options.Embeddings
            ?? (options.EmbeddingsUrl is { } embeddingsUrl
                ? await OpenAiEmbeddingSource.CreateAsync(embeddingsUrl, options.EmbeddingsModel, options.EmbeddingsApiKey, cancellationToken).ConfigureAwait(false)
                : null);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.AddKefuServer(options, backends, embeddings);
        customize?.Invoke(builder);
        var app = builder.Build();
        app.MapKefuServer();
        return app;
    }
}
