using System.Net.Http.Headers;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Kefu.Testing.Server;

/// <summary>A Kefu server in the test process: real Kestrel on a free loopback port, built by the product's own <see cref="KefuServer"/>.</summary>
public static class InProcessKefu
{
    /// <summary>
    /// The options every test server starts from: a free loopback port, data in <paramref name="dataDirectory"/>,
    /// <paramref name="apiKeys"/>, rate limits out of the tests' way, and a meter of its own (several servers live
    /// in one test process: see ServiceMetrics).
    /// </summary>
    public static KefuServerOptions Options(string dataDirectory, params ApiKey[] apiKeys) => new()
    {
        Urls = ["http://127.0.0.1:0"],
        DataDirectory = dataDirectory,
        ApiKeys = [.. apiKeys],
        RequestsPerMinutePerKey = 100_000,
        MeterName = "Kefu.Service.Test" + Guid.NewGuid().ToString("N"),
    };

    /// <summary>Builds and starts a server; <paramref name="host"/> customizes the host (default: logs at Warning and worse).</summary>
    public static async Task<WebApplication> StartAsync(KefuServerOptions options, Action<WebApplicationBuilder>? host, CancellationToken cancellationToken)
    {
        var app = await KefuServer.BuildAsync(options, host ?? (builder => builder.Logging.SetMinimumLevel(LogLevel.Warning)), cancellationToken)
            .ConfigureAwait(false);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return app;
    }

    /// <summary>A client of <paramref name="address"/> sending <paramref name="apiKey"/> as a bearer token (none when null).</summary>
    public static HttpClient Client(Uri address, string? apiKey)
    {
        var http = new HttpClient { BaseAddress = address };
        if (apiKey is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http;
    }
}
