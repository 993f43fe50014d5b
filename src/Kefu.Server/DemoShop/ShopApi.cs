using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.DemoShop;

/// <summary>
/// The demo shop's order and logistics API (the "enterprise system" the assistant's tools call): order details,
/// tracking, refund requests and address changes, with the shop's rules — no address change after shipment, no
/// refund for unpaid, cancelled or already refunded orders, 退货退款 only for shipped goods.
/// </summary>
internal static class ShopApi
{
    private static readonly string[] RemoteRegions = ["新疆", "西藏", "青海"];

    // The shop keeps Beijing time, as its seed data does.
    private static readonly TimeSpan ChinaTime = TimeSpan.FromHours(8);

    public static void MapShopApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Text("ok"));
        var orders = endpoints.MapGroup("/api/orders");
        orders.MapGet("/{orderId}", GetOrder);
        orders.MapGet("/{orderId}/tracking", GetTracking);
        orders.MapPost("/{orderId}/refunds", RequestRefund);
        orders.MapPut("/{orderId}/address", ChangeAddress);
    }

    private static Results<Ok<JsonObject>, ProblemHttpResult> GetOrder(string orderId, ShopStore store) =>
        store.Find(orderId) is { } order ? TypedResults.Ok(order) : NotFound(orderId);

    private static Results<Ok<JsonObject>, ProblemHttpResult> GetTracking(string orderId, ShopStore store)
    {
        if (store.Find(orderId) is not { } order)
            return NotFound(orderId);
        var shipment = order["shipment"] as JsonObject;
        return TypedResults.Ok(new JsonObject
        {
            ["order_id"] = orderId,
            ["status"] = order["status"]?.DeepClone(),
            ["carrier"] = shipment?["carrier"]?.DeepClone(),
            ["tracking_no"] = shipment?["tracking_no"]?.DeepClone(),
            ["shipped_at"] = shipment?["shipped_at"]?.DeepClone(),
            ["delivered_at"] = shipment?["delivered_at"]?.DeepClone(),
            ["estimated_delivery"] = shipment?["estimated_delivery"]?.DeepClone(),
            ["events"] = shipment?["events"]?.DeepClone() ?? new JsonArray(),
        });
    }

    private static Results<Created<JsonObject>, ProblemHttpResult> RequestRefund(
        string orderId, RefundRequest request, ShopStore store, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(request.Reason))
            return Problem(StatusCodes.Status400BadRequest, "缺少退款原因", "reason 不能为空");
        if (request.RefundType is not ("退货退款" or "仅退款"))
            return Problem(StatusCodes.Status400BadRequest, "退款类型无效", "refund_type 只能是“退货退款”或“仅退款”");
        return store.Update<Results<Created<JsonObject>, ProblemHttpResult>>(orderId, order =>
        {
            if (order is null)
                return (NotFound(orderId), false);
            var status = order["status"]?.GetValue<string>();
            var refusal = status switch
            {
                "待付款" => "订单还未付款，无需退款",
                "已取消" => "订单已取消，无需退款",
                "退款中" => "订单已有退款申请正在处理",
                "已退款" => "订单已经退款完成",
                "待发货" when request.RefundType == "退货退款" => "订单还未发货，请选择“仅退款”",
                _ => null,
            };
            if (refusal is not null)
                return (Problem(StatusCodes.Status409Conflict, "无法申请退款", refusal), false);
            var amount = order["amount"]?.GetValue<decimal>() ?? 0;
            var now = time.GetUtcNow().ToOffset(ChinaTime).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
            var refundId = "RF" + orderId[3..] + time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)[^4..];
            order["status"] = "退款中";
            order["refund"] = new JsonObject
            {
                ["refund_id"] = refundId,
                ["type"] = request.RefundType,
                ["reason"] = request.Reason,
                ["amount"] = amount,
                ["requested_at"] = now,
                ["completed_at"] = null,
                ["progress"] = "退款申请已提交，等待审核",
            };
            var receipt = new JsonObject
            {
                ["refund_id"] = refundId,
                ["order_id"] = orderId,
                ["refund_type"] = request.RefundType,
                ["amount"] = amount,
                ["status"] = "退款中",
                ["message"] = "退款申请已提交，审核通常在1个工作日内完成",
            };
            return (TypedResults.Created($"/api/orders/{orderId}/refunds/{refundId}", receipt), true);
        });
    }

    private static Results<Ok<JsonObject>, ProblemHttpResult> ChangeAddress(string orderId, AddressChange request, ShopStore store)
    {
        var address = request.NewAddress?.Trim();
        if (string.IsNullOrEmpty(address) || address.Length < 5)
            return Problem(StatusCodes.Status400BadRequest, "地址无效", "new_address 至少需要5个字符，包含省、市、区和详细地址");
        return store.Update<Results<Ok<JsonObject>, ProblemHttpResult>>(orderId, order =>
        {
            if (order is null)
                return (NotFound(orderId), false);
            var status = order["status"]?.GetValue<string>();
            if (status is not ("待付款" or "待发货"))
            {
                var detail = status is "已发货" or "已签收"
                    ? "订单已发货，无法修改收货地址，可以联系承运快递改派"
                    : $"订单状态为{status}，无法修改收货地址";
                return (Problem(StatusCodes.Status409Conflict, "无法修改地址", detail), false);
            }
            order["address"] = address;
            var remote = RemoteRegions.FirstOrDefault(r => address.StartsWith(r, StringComparison.Ordinal));
            var message = remote is null ? null : $"改到{remote}属于偏远地区，需补交15元运费。";
            return (TypedResults.Ok(new JsonObject { ["order_id"] = orderId, ["address"] = address, ["message"] = message }), true);
        });
    }

    private static ProblemHttpResult NotFound(string orderId) =>
        Problem(StatusCodes.Status404NotFound, "订单不存在", $"没有订单 {orderId}");

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}
