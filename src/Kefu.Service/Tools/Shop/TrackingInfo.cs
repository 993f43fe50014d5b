namespace Kefu.Service.Tools.Shop;

/// <summary>Logistics for an order as <c>track_logistics</c> returns it.</summary>
public sealed record TrackingInfo(
    string OrderId, string Status, string? Carrier, string? TrackingNo, DateTimeOffset? ShippedAt, DateTimeOffset? DeliveredAt,
    DateTimeOffset? EstimatedDelivery, IReadOnlyList<TrackingEvent> Events);
