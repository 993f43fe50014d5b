using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Kefu.Testing.Server;

/// <summary>
/// One Kefu server over a <see cref="DemoDeployment"/> of its own, as <c>kefu serve --demo</c> runs it: the base of
/// each test project's server (its API keys and accounts, its clients). Disposing stops the server and the shop and
/// deletes the data.
/// </summary>
public class DemoServer : IAsyncDisposable
{
    private readonly DemoDeployment _demo;

    protected DemoServer(DemoDeployment demo, WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(demo);
        ArgumentNullException.ThrowIfNull(app);
        _demo = demo;
        App = app;
        Address = LoopbackApp.AddressOf(app);
    }

    public WebApplication App { get; }

    /// <summary>The server's root, ending in '/'.</summary>
    public Uri Address { get; }

    public Uri ShopAddress => _demo.ShopAddress;

    public string DataDirectory => _demo.DataDirectory;

    /// <summary>A client of this server sending <paramref name="apiKey"/> (none when null).</summary>
    public HttpClient Client(string? apiKey) => InProcessKefu.Client(Address, apiKey);

    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Starts the demo shop (skipping the test, naming <paramref name="tests"/>, without samples/ecommerce) and one
    /// server: <paramref name="options"/> makes its options over the deployment, the demo's settings follow, then
    /// <paramref name="configure"/>; <paramref name="host"/> customizes the host (default: logs at Warning).
    /// </summary>
    protected static async Task<(DemoDeployment Demo, WebApplication App)> StartDemoAsync(
        string tests, Func<DemoDeployment, KefuServerOptions> options, Action<KefuServerOptions>? configure, Action<WebApplicationBuilder>? host,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var demo = await DemoDeployment.StartShopAsync(tests, cancellationToken).ConfigureAwait(false);
        try
        {
            return (demo, await demo.StartServerAsync(options(demo), configure, host, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            await demo.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops everything; a derived server disposes its own things first, then calls this.</summary>
    protected virtual ValueTask DisposeAsyncCore() => _demo.DisposeAsync();
}
