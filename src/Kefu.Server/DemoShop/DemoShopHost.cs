using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Kefu.Server.DemoShop;

/// <summary>
/// The demo shop's order API running on loopback in this process: what <c>kefu serve --demo</c> starts beside the
/// service, so the assistant's tools have a real HTTP system to call.
/// </summary>
public sealed class DemoShopHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DemoShopHost(WebApplication app, Uri baseAddress, IReadOnlyList<string> productNames)
    {
        _app = app;
        BaseAddress = baseAddress;
        ProductNames = productNames;
    }

    /// <summary>The API's address, e.g. http://127.0.0.1:5181/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The product names found in the orders (the demo catalog).</summary>
    public IReadOnlyList<string> ProductNames { get; }

    public static async Task<DemoShopHost> StartAsync(DemoShopOptions options, CancellationToken cancellationToken)
    {
        var store = ShopStore.OpenAndSeed(options.DatabasePath, options.SeedFile);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapShopApi();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DemoShopHost(app, new Uri(address.TrimEnd('/') + "/"), store.ProductNames());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
