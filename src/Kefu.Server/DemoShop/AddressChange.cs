namespace Kefu.Server.DemoShop;

/// <summary>Body of <c>PUT /api/orders/{id}/address</c>.</summary>
internal sealed record AddressChange(string? NewAddress);
