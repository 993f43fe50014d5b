using System.Text.Json;

namespace Kefu.Service.Tools.Shop;

/// <summary><c>query_order</c>: an order's status, items, amount, payment time and address.</summary>
public sealed class QueryOrderTool(ShopApiClient client) : ITool
{
    public string Name => "query_order";

    public string Description => "查询订单的详细信息，返回订单状态（待付款/待发货/已发货/已签收/已取消/退款中/已退款）、商品明细、实付金额、付款时间和收货地址。顾客询问订单状态、金额或商品时使用。";

    public JsonElement ParametersSchema => ShopToolArguments.OrderIdOnlySchema;

    public bool RequiresConfirmation => false;

    public Task<ToolResult> InvokeAsync(JsonElement arguments, CancellationToken cancellationToken) =>
        client.GetOrderAsync(ShopToolArguments.Required(arguments, "order_id"), cancellationToken);
}
