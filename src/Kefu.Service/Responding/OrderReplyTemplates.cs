using System.Text;
using Kefu.Service.Tools;
using Kefu.Service.Tools.Shop;

namespace Kefu.Service.Responding;

/// <summary>Tool results in words, for retrieval-only mode and for the confirmed actions the service makes itself.</summary>
public static class OrderReplyTemplates
{
    private const int ShownTrackingEvents = 3;

    /// <param name="order">The order as the order system reported it.</param>
    /// <param name="statusNotes">The shop's policy sentences by status (<see cref="KefuServiceOptions.OrderStatusNotes"/>).</param>
    public static string Order(OrderInfo order, IReadOnlyDictionary<string, string> statusNotes)
    {
        var text = new StringBuilder();
        ReplyTemplates.Line(text, $"订单 {order.OrderId} 当前状态：{order.Status}。");
        ReplyTemplates.Line(text, $"商品：{ReplyTemplates.ItemSummary(order)}");
        ReplyTemplates.Line(text, $"实付金额：{ReplyTemplates.Money(order.Amount)}");
        if (order.PaidAt is { } paid)
            ReplyTemplates.Line(text, $"付款时间：{ReplyTemplates.Time(paid)}");
        if (!string.IsNullOrEmpty(order.Address))
            ReplyTemplates.Line(text, $"收货地址：{order.Address}");
        var hint = order.Status switch
        {
            "待付款" => "订单还未付款。",
            "待发货" => "订单已付款，正在等待仓库发货。",
            "已发货" when order.Shipment is { Carrier: { } carrier, TrackingNo: { } number } => $"已由{carrier}发出，运单号 {number}，需要的话我可以帮您查看物流进度。",
            "已签收" => "订单已签收。",
            "已取消" => order.CancelReason is { Length: > 0 } reason ? $"取消原因：{reason}。" : "",
            "退款中" => order.Refund is { } refund ? $"退款进度：{refund.Progress ?? "处理中"}（{refund.Type}，原因：{refund.Reason}）。" : "",
            "已退款" => order.Refund is { } done ? $"退款{(done.Amount is { } amount ? ReplyTemplates.Money(amount) : "")}已原路退回{(done.CompletedAt is { } at ? $"（{ReplyTemplates.Time(at)}完成）" : "")}。" : "",
            _ => "",
        };
        // The shop's rules for this status (dispatch times, return windows…) come from its configuration.
        if (statusNotes.TryGetValue(order.Status, out var note) && note.Length > 0)
            hint += note;
        if (hint.Length > 0)
            text.Append(hint);
        return text.ToString().TrimEnd();
    }

    /// <param name="tracking">The tracking information as the order system reported it.</param>
    /// <param name="statusNotes">The shop's policy sentences by status (<see cref="KefuServiceOptions.OrderStatusNotes"/>).</param>
    public static string Tracking(TrackingInfo tracking, IReadOnlyDictionary<string, string> statusNotes)
    {
        if (tracking.Carrier is null || tracking.Events.Count == 0)
        {
            return tracking.Status switch
            {
                "待付款" => $"订单 {tracking.OrderId} 还未付款，付款后才会安排发货。",
                "待发货" => $"订单 {tracking.OrderId} 还未发货，暂时没有物流信息，发货后即可查看物流。{statusNotes.GetValueOrDefault("待发货")}",
                "已取消" => $"订单 {tracking.OrderId} 已取消，没有物流信息。",
                _ => $"订单 {tracking.OrderId} 暂时没有物流信息（订单状态：{tracking.Status}）。",
            };
        }
        var text = new StringBuilder();
        ReplyTemplates.Line(text, $"订单 {tracking.OrderId} 由{tracking.Carrier}配送，运单号 {tracking.TrackingNo}。");
        var latest = tracking.Events.OrderByDescending(e => e.Time).Take(ShownTrackingEvents).ToList();
        ReplyTemplates.Line(text, $"最新物流（{latest[0].Status}）：");
        foreach (var scan in latest)
            ReplyTemplates.Line(text, $"· {ReplyTemplates.Time(scan.Time)} {scan.Description ?? scan.Status}");
        if (tracking.DeliveredAt is { } delivered)
            text.Append($"包裹已于{ReplyTemplates.Time(delivered)}签收。");
        else if (tracking.EstimatedDelivery is { } estimated)
            text.Append($"包裹正在配送途中，预计{ReplyTemplates.Day(estimated)}送达，请保持电话畅通。");
        else
            text.Append("包裹正在配送途中，请保持电话畅通。");
        return text.ToString().TrimEnd();
    }

    public static string Refund(RefundReceipt receipt) =>
        $"已为订单 {receipt.OrderId} 提交「{receipt.RefundType}」申请（申请号 {receipt.RefundId}，金额 {ReplyTemplates.Money(receipt.Amount)}），当前状态：{receipt.Status}。"
        + (receipt.RefundType == "退货退款"
            ? "审核通过后请按页面提示寄回商品并填写退货单号，仓库签收检查后（1–2个工作日）原路退款。"
            : "退款将原路退回：微信/支付宝1–3个工作日到账，银行卡3–5个工作日到账。");

    public static string AddressChanged(AddressChangeReceipt receipt) =>
        $"已将订单 {receipt.OrderId} 的收货地址修改为：{receipt.Address}。" + (receipt.Message is { Length: > 0 } m ? m : "");

    /// <summary>A tool call that did not succeed, explained to the customer without internal detail.</summary>
    public static string Failure(string tool, ToolResult result, string? orderId) => result.Outcome switch
    {
        ToolOutcome.NotFound => $"没有查到订单 {orderId}，请核对订单号是否正确（ORD加5位数字，例如ORD12345）。",
        ToolOutcome.Refused => tool switch
        {
            "change_address" => $"抱歉，订单 {orderId} 的地址无法修改：{result.Message}",
            "request_refund" => $"抱歉，订单 {orderId} 暂时无法提交退款：{result.Message}",
            _ => $"抱歉，这个操作没有成功：{result.Message}",
        },
        ToolOutcome.InvalidArguments => $"抱歉，信息好像不完整或格式不对（{result.Message}），麻烦您再确认一下。",
        _ => "抱歉，订单系统暂时无法访问，请稍后再试。",
    };
}
