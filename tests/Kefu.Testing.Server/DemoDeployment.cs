using Kefu.Server.DemoShop;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Xunit;

namespace Kefu.Testing.Server;

/// <summary>
/// The demo as <c>kefu serve --demo</c> runs it, in the test process: the demo shop's order API on loopback, a temp
/// folder for data, and Kefu servers over them with the demo's knowledge, shop and safety lists. Disposing stops the
/// servers and the shop and deletes the folder.
/// </summary>
public sealed class DemoDeployment : IAsyncDisposable
{
    private readonly DemoShopHost _shop;
    private readonly List<WebApplication> _servers = [];

    private DemoDeployment(string samples, TempDirectory temp, DemoShopHost shop)
    {
        Samples = samples;
        Temp = temp;
        _shop = shop;
    }

    /// <summary>The demo's samples folder (samples/ecommerce).</summary>
    public string Samples { get; }

    /// <summary>The temp folder the shop and (by default) the servers keep their data in.</summary>
    public TempDirectory Temp { get; }

    public string DataDirectory => Temp.Path;

    public Uri ShopAddress => _shop.BaseAddress;

    /// <summary>Starts the demo shop; skips the test (naming <paramref name="tests"/>) when samples/ecommerce is absent.</summary>
    public static async Task<DemoDeployment> StartShopAsync(string tests, CancellationToken cancellationToken)
    {
        var samples = DemoSetup.FindSamples(Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce"));
        if (samples is null)
            Assert.Skip($"samples/ecommerce is absent; {tests} run the demo shop.");
        var temp = new TempDirectory();
        try
        {
            var shop = await DemoSetup.StartShopAsync(samples, temp.Path, cancellationToken).ConfigureAwait(false);
            return new DemoDeployment(samples, temp, shop);
        }
        catch
        {
            temp.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts a Kefu server: <paramref name="options"/> (see <see cref="InProcessKefu.Options"/>) get the demo's
    /// settings (<see cref="DemoSetup.Apply"/>), then <paramref name="configure"/> has the last word. Safe to call
    /// concurrently, as an orchestrator starts replicas.
    /// </summary>
    public async Task<WebApplication> StartServerAsync(
        KefuServerOptions options, Action<KefuServerOptions>? configure, Action<WebApplicationBuilder>? host, CancellationToken cancellationToken)
    {
        DemoSetup.Apply(options, Samples, _shop);
        configure?.Invoke(options);
        var app = await InProcessKefu.StartAsync(options, host, cancellationToken).ConfigureAwait(false);
        lock (_servers)
            _servers.Add(app);
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
            await LoopbackApp.StopAsync(server).ConfigureAwait(false);
        await _shop.DisposeAsync().ConfigureAwait(false);
        Temp.Dispose();
    }
}
