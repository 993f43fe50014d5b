namespace Kefu.Service.Tools.Shop;

/// <summary>One scan of a parcel.</summary>
public sealed record TrackingEvent(DateTimeOffset Time, string Status, string? Location, string? Description);
