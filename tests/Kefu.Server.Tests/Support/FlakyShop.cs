using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kefu.Server.Tests.Support;

/// <summary>An order API on loopback that misbehaves on demand (errors, slowness) and counts the requests it got.</summary>
internal sealed class FlakyShop : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private FlakyShop(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Status code to answer with (200 answers a valid order).</summary>
    public int Status { get; set; } = StatusCodes.Status503ServiceUnavailable;

    /// <summary>Delay before answering.</summary>
    public TimeSpan Delay { get; set; }

    public static async Task<FlakyShop> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var shop = new FlakyShop(app);
        app.Map("/{**path}", async (HttpContext http) =>
        {
            Interlocked.Increment(ref shop._requests);
            if (shop.Delay > TimeSpan.Zero)
                await Task.Delay(shop.Delay, http.RequestAborted);
            http.Response.StatusCode = shop.Status;
            if (shop.Status == StatusCodes.Status200OK)
            {
                await http.Response.WriteAsJsonAsync(new
                {
                    order_id = "ORD12345", status = "已发货", amount = 1m,
                    items = new[] { new { sku = "S", name = "毛巾", quantity = 1, price = 1m } },
                });
            }
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        shop.Address = new Uri(address.TrimEnd('/') + "/");
        return shop;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
