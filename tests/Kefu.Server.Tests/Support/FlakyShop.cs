using Kefu.Testing.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

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
        var app = LoopbackApp.CreateBuilder().Build();
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
        shop.Address = await LoopbackApp.StartAsync(app, TestContext.Current.CancellationToken);
        return shop;
    }

    public ValueTask DisposeAsync() => LoopbackApp.StopAsync(_app);
}
