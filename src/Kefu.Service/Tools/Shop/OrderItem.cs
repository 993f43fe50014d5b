namespace Kefu.Service.Tools.Shop;

/// <summary>One line of an order.</summary>
public sealed record OrderItem(string Sku, string Name, int Quantity, decimal Price);
