namespace Kefu.Service.Tools.Shop;

/// <summary>A changed delivery address.</summary>
public sealed record AddressChangeReceipt(string OrderId, string Address, string? Message);
