namespace Kefu.Service.Tools.Shop;

/// <summary>A submitted refund request.</summary>
public sealed record RefundReceipt(string RefundId, string OrderId, string RefundType, decimal Amount, string Status, string? Message);
