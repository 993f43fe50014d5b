namespace Kefu.Service.Tools.Shop;

// The order system's replies as the tools read them (JSON in snake_case). Only what the assistant may tell a
// customer is mapped: the customer's phone number, for one, never reaches a model or a reply.

/// <summary>An order as <c>query_order</c> returns it.</summary>
public sealed record OrderInfo(
    string OrderId, string Status, IReadOnlyList<OrderItem> Items, decimal Amount, DateTimeOffset? PaidAt, string? Address,
    string? PaymentMethod, RefundInfo? Refund, string? CancelReason, ShipmentSummary? Shipment);
