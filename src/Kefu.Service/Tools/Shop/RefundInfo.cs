namespace Kefu.Service.Tools.Shop;

/// <summary>A refund in progress or done.</summary>
public sealed record RefundInfo(string? Type, string? Reason, decimal? Amount, string? Progress, DateTimeOffset? RequestedAt, DateTimeOffset? CompletedAt);
