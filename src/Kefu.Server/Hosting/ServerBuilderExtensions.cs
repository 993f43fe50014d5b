using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Kefu.Server.Api.Ui;
using Kefu.Server.Auth;
using Kefu.Server.Security;
using Kefu.Service;
using Kefu.Service.Diagnostics;
using Kefu.Service.Embeddings;
using Kefu.Service.Responding;
using Kefu.Storage.Postgres;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.RateLimiting;

namespace Kefu.Server.Hosting;

/// <summary>Registers the server's parts: Kestrel limits, JSON, auth, rate limits, health, and the brain.</summary>
internal static class ServerBuilderExtensions
{
    public const string RateLimitPolicy = "per-key";
    public const string AgentPolicy = "agent";

    public static WebApplicationBuilder AddKefuServer(
        this WebApplicationBuilder builder, KefuServerOptions options, ChatBackends backends, IEmbeddingSource? embeddings = null)
    {
        builder.WebHost.UseUrls([.. options.Urls]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
        });

        // Framework chatter at warning level; the service's own decisions (routing reasons, tool calls) stay visible.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var services = builder.Services;
        // Keys in memory rather than in ~/.aspnet: the only protected data is the agent sign-in cookie, and agents
        // signing in again after a restart is cheaper than key files to guard. With a shared database, in the database.
        var dataProtection = services.AddDataProtection().SetApplicationName("kefu");
        if (options.DatabaseConnectionString is { Length: > 0 })
        {
            // Replicas on one database share the key ring there: a cookie from one replica is valid on all of them.
            services.AddOptions<KeyManagementOptions>().Configure<PostgresDatabase>((keys, database) =>
                keys.XmlRepository = new SharedKeyRepository(new PostgresKeyRing(database)));
        }
        else
        {
            dataProtection.UseEphemeralDataProtectionProvider();
        }
        services.AddSingleton(options);
        // Timeouts and a circuit per model, so a failing model costs a turn its fallback, not the customer a wait.
        backends = Resilience.ModelResilience.Apply(services, options, backends);
        services.AddSingleton(backends);
        if (options.TokenCounter is { } tokenCounter)
            services.AddSingleton(tokenCounter);
        if (embeddings is not null)
            services.AddSingleton(new DenseRetrieval(embeddings, options.EmbeddingsCalibration));
        services.AddSingleton(sp => new DenseRetrievalMetrics(sp.GetRequiredService<IMeterFactory>(), options.MeterName));
        services.AddKefuService(service =>
        {
            service.DataDirectory = options.DataDirectory;
            service.MaxCustomerTurns = options.MaxCustomerTurns;
            options.ConfigureService?.Invoke(service);
        }, options.ConfigureShop);
        if (options.DatabaseConnectionString is { Length: > 0 } database)
        {
            services.AddKefuPostgres(database);
            // Before AddKefuUi's TryAdd of the SQLite one: the dashboard reads the log where the sessions are.
            services.AddSingleton<IDeskStore>(sp => new PostgresDeskStore(sp.GetRequiredService<PostgresDatabase>()));
        }
        // A database that is restarting answers 503 + Retry-After, not 500.
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddProblemDetails();
        services.AddKefuCors(options);
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            json.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });

        // API keys, and the agent console's sign-in cookie (AgentSignIn picks one per request).
        services.AddAuthentication(AgentSignIn.Scheme)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationOptions.Scheme, o => o.Keys = new LiveApiKeys(options, TimeProvider.System))
            .AddAgentSignIn();
        services.AddAuthorizationBuilder()
            .AddPolicy(AgentPolicy, policy => policy.RequireRole(ApiKeyAuthenticationOptions.AgentRole));
        services.AddRateLimiter(limiter =>
        {
            limiter.OnRejected = RejectAsync;
            // A token bucket per API key: bursts up to a minute's allowance, never more than that a minute.
            limiter.AddPolicy(RateLimitPolicy, http => RateLimitPartition.GetTokenBucketLimiter(
                http.User.Identity?.Name ?? http.Connection.RemoteIpAddress?.ToString() ?? "anonymous",
                _ => PerMinuteTokenBucket.Options(options.RequestsPerMinutePerKey)));
        });

        // Metrics on /metrics and traces (exported only when OTEL_EXPORTER_OTLP_ENDPOINT is set): see ServerTelemetry.
        services.AddSingleton(sp => new ServiceMetrics(sp.GetRequiredService<IMeterFactory>(), options.MeterName));
        services.AddKefuTelemetry(options);
        services.AddSingleton<KnowledgeStartupImport>();
        services.AddHostedService(sp => sp.GetRequiredService<KnowledgeStartupImport>());
        services.AddHealthChecks().AddCheck<ReadinessCheck>("ready", tags: ["ready"]);
        if (options.DailyLearningJob is { } learningJob)
            services.AddHostedService(learningJob);
        services.AddKefuUi(options);
        return builder;
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests", Detail = "This API key's rate limit is used up; retry later." },
        }).ConfigureAwait(false);
    }
}
