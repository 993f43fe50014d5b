using System.Text.Json;
using Kefu.Service.Tools;
using Kefu.Service.Tools.Shop;

namespace Kefu.Service.Tests.Support;

/// <summary>
/// The four shop tools over an in-memory order book (the HTTP path is tested against the real demo shop API in
/// Kefu.Server.Tests): enough orders to drive the dialogue manager through its flows.
/// </summary>
internal sealed class FakeOrderSystem
{
    private static readonly DateTimeOffset Paid = new(2026, 11, 18, 10, 20, 0, TimeSpan.FromHours(8));
    private readonly Dictionary<string, OrderInfo> _orders = new()
    {
        ["ORD12345"] = Order("ORD12345", "已发货", new ShipmentSummary("中通快递", "ZTO731204568812", Paid.AddHours(5), null)),
        ["ORD12346"] = Order("ORD12346", "已签收", new ShipmentSummary("圆通速递", "YTO8810276500", Paid.AddHours(5), Paid.AddDays(2))),
        ["ORD12348"] = Order("ORD12348", "待发货", null),
    };

    public FakeOrderSystem()
    {
        var client = new ShopApiClient(new HttpClient());
        QueryOrder = new FakeTool(new QueryOrderTool(client), args =>
            _orders.TryGetValue(OrderId(args), out var order) ? ToolResult.Success(order) : ToolResult.Failure(ToolOutcome.NotFound, "没有这个订单"));
        TrackLogistics = new FakeTool(new TrackLogisticsTool(client), args =>
        {
            if (Unavailable)
                return ToolResult.Failure(ToolOutcome.Unavailable, "the order system did not answer in time");
            if (!_orders.TryGetValue(OrderId(args), out var order))
                return ToolResult.Failure(ToolOutcome.NotFound, "没有这个订单");
            return ToolResult.Success(new TrackingInfo(order.OrderId, order.Status, order.Shipment?.Carrier, order.Shipment?.TrackingNo,
                order.Shipment?.ShippedAt, order.Shipment?.DeliveredAt, Paid.AddDays(3),
                order.Shipment is null ? [] : [new TrackingEvent(Paid.AddHours(5), "已揽收", "浙江省杭州市", "【杭州市】已揽收")]));
        });
        RequestRefund = new FakeTool(new RequestRefundTool(client), args => ToolResult.Success(
            new RefundReceipt("RF12346", OrderId(args), args.GetProperty("refund_type").GetString()!, 299m, "退款中", null)));
        ChangeAddress = new FakeTool(new ChangeAddressTool(client), args =>
            _orders[OrderId(args)].Status == "待发货"
                ? ToolResult.Success(new AddressChangeReceipt(OrderId(args), args.GetProperty("new_address").GetString()!, null))
                : ToolResult.Failure(ToolOutcome.Refused, "订单已发货，无法修改收货地址"));
    }

    /// <summary>When set, logistics calls fail as if the system timed out.</summary>
    public bool Unavailable { get; set; }

    public FakeTool QueryOrder { get; }

    public FakeTool TrackLogistics { get; }

    public FakeTool RequestRefund { get; }

    public FakeTool ChangeAddress { get; }

    public IEnumerable<ITool> Tools => [QueryOrder, TrackLogistics, RequestRefund, ChangeAddress];

    private static string OrderId(JsonElement arguments) => arguments.GetProperty("order_id").GetString()!;

    private static OrderInfo Order(string id, string status, ShipmentSummary? shipment) =>
        new(id, status, [new OrderItem("QH-AF501", "青禾可视空气炸锅 5L", 1, 299m)], 299m, Paid, "四川省成都市武侯区天府三街88号",
            "微信支付", null, null, shipment);
}
