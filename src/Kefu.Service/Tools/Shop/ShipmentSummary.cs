namespace Kefu.Service.Tools.Shop;

/// <summary>Who carries a shipped order.</summary>
public sealed record ShipmentSummary(string? Carrier, string? TrackingNo, DateTimeOffset? ShippedAt, DateTimeOffset? DeliveredAt);
