using Kefu.Server.Backends;
using Kefu.Service.Embeddings;
using Kefu.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
        if (options.ApiKeysFile is { } keysFile)
        {
            if (!File.Exists(keysFile))
                throw new InvalidOperationException($"Keys file {keysFile} not found (make one with kefu keys add --file {keysFile} --name NAME).");
            options.ApiKeys.AddRange(Security.ApiKeyFile.LoadActive(keysFile));
        }
        if (options.ApiKeys.Count == 0)
            throw new InvalidOperationException("No API key configured: give at least one (kefu serve --api-key KEY, or a keys file from kefu keys add).");
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
            throw new InvalidOperationException("No data directory configured.");
        var backends = await ChatBackendFactory.CreateAsync(options, cancellationToken).ConfigureAwait(false);
        var embeddings = options.Embeddings
            ?? (options.EmbeddingsUrl is { } embeddingsUrl
                ? await OpenAiEmbeddingSource.CreateAsync(embeddingsUrl, options.EmbeddingsModel, options.EmbeddingsApiKey, cancellationToken).ConfigureAwait(false)
                : null);
        // The shared database likewise: unreachable or malformed, it fails here, before the host starts; migrated once.
        var database = options.DatabaseConnectionString is { Length: > 0 } connectionString ? PostgresDatabase.Open(connectionString) : null;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.AddKefuServer(options, backends, embeddings);
        if (database is not null)
            builder.Services.Replace(ServiceDescriptor.Singleton(_ => database));
        customize?.Invoke(builder);
        var app = builder.Build();
        app.MapKefuServer();
        return app;
    }
}
