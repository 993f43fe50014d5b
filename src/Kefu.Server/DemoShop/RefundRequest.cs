namespace Kefu.Server.DemoShop;

/// <summary>Body of <c>POST /api/orders/{id}/refunds</c>.</summary>
internal sealed record RefundRequest(string? Reason, string? RefundType);
