using Kefu.Service.Diagnostics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Kefu.Server.Hosting;

/// <summary>
/// OpenTelemetry for the server: metrics as Prometheus text on /metrics, and traces — the service's turn and stage
/// spans, the model clients' gen_ai spans, ASP.NET Core's request spans and HttpClient's outgoing calls (tools, model
/// backends). Traces are recorded always (log lines carry their trace ids), but exported only when the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names a collector: by default nothing leaves the machine.
/// </summary>
internal static class ServerTelemetry
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddKefuTelemetry(this IServiceCollection services, KefuServerOptions options)
    {
        var modelSource = ServiceTelemetry.ModelSourceName(options.MeterName);
        var otlpEndpoint = Environment.GetEnvironmentVariable(OtlpEndpointVariable);
        services.AddOpenTelemetry()
            // The service's meter, the model clients' (gen_ai token usage and call durations), and ASP.NET Core's and
            // HttpClient's own (request durations, tool-call HTTP).
            .WithMetrics(metrics => metrics
                .AddMeter(options.MeterName, modelSource, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http")
                // No scrape cache: the exporter's default 300 ms cache can serve a scrape that predates the last turn.
                .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0))
            .WithTracing(tracing =>
            {
                tracing.AddSource(ServiceTelemetry.SourceName, modelSource)
                    // Probes and scrapes would drown the turns.
                    .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = http => !IsHousekeeping(http.Request.Path))
                    .AddHttpClientInstrumentation();
                if (!string.IsNullOrWhiteSpace(otlpEndpoint))
                    tracing.AddOtlpExporter(); // reads the endpoint, protocol and headers from the standard OTEL_* variables
            });
        return services;
    }

    private static bool IsHousekeeping(PathString path) =>
        path.StartsWithSegments("/metrics") || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");
}
