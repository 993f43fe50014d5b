using System.Text.Json;
using Kefu.Service.Tools;
using Kefu.Service.Tools.Shop;

namespace Kefu.Server.Api.Ui;

/// <summary>
/// The order card shown under a reply when the turn looked up an order. The turn reports its tool calls but not their
/// data, so the card reads the order again from the order system (a read, safe to repeat); with no order system
/// configured there are no cards.
/// </summary>
internal sealed class OrderCards(IServiceProvider services)
{
    private readonly ShopApiClient? _shop = services.GetService<ShopApiClient>();

    public async Task<OrderCard?> FindAsync(IReadOnlyList<ToolCallRecord> calls, CancellationToken cancellationToken)
    {
        if (_shop is null || calls.LastOrDefault(OrderTools.ShowsOrder) is not { } call || OrderId(call.Arguments) is not { } orderId)
            return null;
        var result = await _shop.GetOrderAsync(orderId, cancellationToken).ConfigureAwait(false);
        if (result is not { Outcome: ToolOutcome.Success, Data: OrderInfo order })
            return null;
        return new OrderCard(order.OrderId, order.Status, [.. order.Items.Select(i => new OrderCardItem(i.Name, i.Quantity, i.Price))],
            order.Amount, order.PaidAt, order.Shipment?.Carrier, order.Shipment?.TrackingNo);
    }

    private static string? OrderId(string arguments)
    {
        try
        {
            using var json = JsonDocument.Parse(arguments);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("order_id", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
