namespace Kefu.Server.DemoShop;

/// <summary>Where the demo shop's data comes from and where it listens (always loopback).</summary>
public sealed class DemoShopOptions
{
    /// <summary>The orders file (samples/ecommerce/orders.json format).</summary>
    public required string SeedFile { get; init; }

    /// <summary>The SQLite file the shop keeps its orders in; reseeded at every start.</summary>
    public required string DatabasePath { get; init; }

    /// <summary>The loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }
}
