using System.Security.Cryptography;
using Kefu.Server.DemoShop;
using Kefu.Server.Hosting;
using Kefu.Service.Responding;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kefu.Evaluation.Running;

/// <summary>
/// The Kefu server as <c>kefu serve --demo</c> runs it, built in this process on a free loopback port with its data
/// in a fresh folder: the evaluation then goes through the same HTTP API, auth, guardrails and tools as production.
/// Retrieval-only when no chat client is given.
/// </summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DemoShopHost _shop;
    private readonly string _dataDirectory;
    private readonly bool _ownsData;

    private InProcessServer(WebApplication app, DemoShopHost shop, Uri address, string apiKey, string dataDirectory, bool ownsData)
    {
        _app = app;
        _shop = shop;
        Address = address;
        ApiKey = apiKey;
        _dataDirectory = dataDirectory;
        _ownsData = ownsData;
    }

    public Uri Address { get; }

    public string ApiKey { get; }

    /// <param name="samples">The demo folder (samples/ecommerce): knowledge, orders, tools, lexicon.</param>
    /// <param name="model">The model to answer with, or null for retrieval-only.</param>
    /// <param name="modelName">Its name in reports.</param>
    /// <param name="dataDirectory">Where the server keeps its databases; a fresh temporary folder when null.</param>
    /// <param name="cancellationToken">Stops the start-up.</param>
    public static async Task<InProcessServer> StartDemoAsync(string samples, IChatClient? model, string? modelName, string? dataDirectory, CancellationToken cancellationToken)
    {
        var ownsData = dataDirectory is null;
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "kefu-eval-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dataDirectory);
        var key = "kf-eval-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var shop = await DemoSetup.StartShopAsync(samples, dataDirectory, cancellationToken).ConfigureAwait(false);
        try
        {
            var options = new KefuServerOptions
            {
                Urls = ["http://127.0.0.1:0"],
                DataDirectory = dataDirectory,
                ApiKeys = [new ApiKey("eval", key, Agent: false)],
                // The regression run is one client sending as fast as it can; the limiter protects production, not this.
                RequestsPerMinutePerKey = 1_000_000,
                MeterName = "Kefu.Service.Eval" + Guid.NewGuid().ToString("N"),
                Backends = model is null ? null : new ChatBackends(model, modelName ?? "model", null),
            };
            DemoSetup.Apply(options, samples, shop);
            var app = await KefuServer.BuildAsync(options, b => b.Logging.SetMinimumLevel(LogLevel.Warning), cancellationToken).ConfigureAwait(false);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            await WaitReadyAsync(app, key, cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new InProcessServer(app, shop, new Uri(address.TrimEnd('/') + "/"), key, dataDirectory, ownsData);
        }
        catch
        {
            await shop.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // The knowledge import runs as a hosted service at start; /readyz turns healthy when it is done.
    private static async Task WaitReadyAsync(WebApplication app, string key, CancellationToken cancellationToken)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        for (var attempt = 0; attempt < 600; attempt++)
        {
            using var response = await http.GetAsync("readyz", cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
                return;
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
        throw new InvalidOperationException("The in-process server did not become ready within 60 s (knowledge import).");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _shop.DisposeAsync().ConfigureAwait(false);
        if (_ownsData)
        {
            try { Directory.Delete(_dataDirectory, recursive: true); }
            catch (IOException) { /* best effort: a leftover temp folder is harmless */ }
        }
    }
}
