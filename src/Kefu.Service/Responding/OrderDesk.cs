using System.Text.RegularExpressions;
using Kefu.Service.Dialogue;
using Kefu.Service.Routing;
using Kefu.Service.Tools;
using Kefu.Service.Tools.Shop;

namespace Kefu.Service.Responding;

/// <summary>
/// Order operations without a model: gathers what a tool needs over as many turns as it takes (order number,
/// refund reason, new address), asks the customer to confirm a refund before requesting it, calls the tools and
/// puts their results in words. It also carries out refunds a customer confirms after a model prepared them.
/// </summary>
public sealed partial class OrderDesk(ToolRegistry tools, SlotExtractor slots, ReplyTemplates templates, KefuServiceOptions options)
{
    private const string QueryOrder = "query_order";
    private const string TrackLogistics = "track_logistics";
    private const string RequestRefund = "request_refund";
    private const string ChangeAddress = "change_address";
    private const int MaxReasonCharacters = 200;

    /// <summary>Starts the operation the router recognised.</summary>
    public async Task<ResponderReply> StartAsync(Session session, string message, OrderAction action, CancellationToken cancellationToken)
    {
        var tool = ToolFor(action);
        if (!tools.Contains(tool))
            return ResponderReply.Unanswered(ReplyTemplates.NoOrderSystem());
        var orderId = slots.FindOrderId(message) ?? session.Slots.GetValueOrDefault(SlotNames.OrderId);
        if (orderId is null)
        {
            session.Pending = new PendingAction(tool, new Dictionary<string, string>(), SlotNames.OrderId);
            return ResponderReply.Answered(templates.AskOrderId(action));
        }
        session.Slots[SlotNames.OrderId] = orderId;
        switch (action)
        {
            case OrderAction.Tracking:
                return await ExecuteAsync(session, TrackLogistics, new() { ["order_id"] = orderId }, cancellationToken).ConfigureAwait(false);
            case OrderAction.ChangeAddress:
                if (ExtractAddress(message) is { } address)
                    return await ExecuteAsync(session, ChangeAddress, new() { ["order_id"] = orderId, ["new_address"] = address }, cancellationToken).ConfigureAwait(false);
                session.Pending = new PendingAction(ChangeAddress, new Dictionary<string, string> { ["order_id"] = orderId }, "new_address");
                return ResponderReply.Answered(ReplyTemplates.AskNewAddress(orderId));
            case OrderAction.Refund:
                if (ExtractReason(message) is { } reason)
                    return await PrepareRefundAsync(session, orderId, reason, message, cancellationToken).ConfigureAwait(false);
                session.Pending = new PendingAction(RequestRefund, new Dictionary<string, string> { ["order_id"] = orderId }, "reason");
                return ResponderReply.Answered(ReplyTemplates.AskRefundReason(orderId));
            default:
                return await ExecuteAsync(session, QueryOrder, new() { ["order_id"] = orderId }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Continues a prepared operation with this message, or returns null (and forgets the operation) when the
    /// message is about something else.
    /// </summary>
    public async Task<ResponderReply?> ContinueAsync(Session session, string message, CancellationToken cancellationToken)
    {
        var pending = session.Pending;
        if (pending is null)
            return null;
        session.Pending = null;
        var text = message.Trim();
        if (RouterRules.Negation().IsMatch(text))
            return ResponderReply.Answered(ReplyTemplates.Cancelled());
        var arguments = new Dictionary<string, string>(pending.Arguments, StringComparer.Ordinal);
        switch (pending.AwaitingArgument)
        {
            case null when RouterRules.Affirmation().IsMatch(text):
                return await ExecuteAsync(session, pending.Tool, arguments, cancellationToken).ConfigureAwait(false);
            case SlotNames.OrderId when slots.FindOrderId(text) is not null:
                return await StartAsync(session, message, ActionFor(pending.Tool), cancellationToken).ConfigureAwait(false);
            case "reason" when text.Length > 0:
                var reason = text.Length > MaxReasonCharacters ? text[..MaxReasonCharacters] : text;
                return await PrepareRefundAsync(session, arguments["order_id"], reason, message, cancellationToken).ConfigureAwait(false);
            case "new_address" when (ExtractAddress(text) ?? (LooksLikeAddress(text) ? text : null)) is { } address:
                arguments["new_address"] = address;
                return await ExecuteAsync(session, ChangeAddress, arguments, cancellationToken).ConfigureAwait(false);
            default:
                return null;
        }
    }

    /// <summary>Calls a tool and words its result.</summary>
    public async Task<ResponderReply> ExecuteAsync(Session session, string tool, Dictionary<string, string> arguments, CancellationToken cancellationToken)
    {
        var (result, record) = await tools.InvokeAsync(tool, ToolJson.Arguments(arguments), cancellationToken).ConfigureAwait(false);
        var orderId = arguments.GetValueOrDefault("order_id");
        if (result.Outcome != ToolOutcome.Success)
        {
            var unavailable = result.Outcome == ToolOutcome.Unavailable;
            return new ResponderReply(OrderReplyTemplates.Failure(tool, result, orderId), [], [record], Resolved: !unavailable);
        }
        var text = result.Data switch
        {
            OrderInfo order => OrderReplyTemplates.Order(order, options.OrderStatusNotes),
            TrackingInfo tracking => OrderReplyTemplates.Tracking(tracking, options.OrderStatusNotes),
            RefundReceipt receipt => OrderReplyTemplates.Refund(receipt),
            AddressChangeReceipt change => OrderReplyTemplates.AddressChanged(change),
            _ => result.ToModelJson(),
        };
        return new ResponderReply(text, [], [record], Resolved: true);
    }

    private async Task<ResponderReply> PrepareRefundAsync(Session session, string orderId, string reason, string message, CancellationToken cancellationToken)
    {
        var (result, record) = await tools.InvokeAsync(QueryOrder, ToolJson.Arguments(new Dictionary<string, string> { ["order_id"] = orderId }), cancellationToken).ConfigureAwait(false);
        if (result.Data is not OrderInfo order)
            return new ResponderReply(OrderReplyTemplates.Failure(QueryOrder, result, orderId), [], [record], Resolved: result.Outcome != ToolOutcome.Unavailable);
        var blocked = order.Status switch
        {
            "待付款" => $"订单 {orderId} 还未付款，不需要退款；不想要的话不付款即可，不会扣款。",
            "已取消" => $"订单 {orderId} 已经取消，不需要再申请退款。",
            "退款中" => $"订单 {orderId} 已经在退款中了：{order.Refund?.Progress ?? "正在处理"}。",
            "已退款" => $"订单 {orderId} 已经退款完成，款项已原路退回。",
            _ => null,
        };
        if (blocked is not null)
            return new ResponderReply(blocked, [], [record], Resolved: true);
        var refundType = order.Status == "待发货" || OnlyRefund().IsMatch(message) ? "仅退款" : "退货退款";
        session.Pending = new PendingAction(RequestRefund, new Dictionary<string, string>
        {
            ["order_id"] = orderId,
            ["reason"] = reason,
            ["refund_type"] = refundType,
        }, AwaitingArgument: null);
        return new ResponderReply(ReplyTemplates.ConfirmRefund(order, refundType, reason), [], [record], Resolved: true);
    }

    /// <summary>
    /// The customer's reason for a refund: their message (without the order number) when it names a reason or
    /// describes the situation beyond the bare request ("我要退款" alone gives none, so the desk asks).
    /// </summary>
    internal static string? ExtractReason(string message)
    {
        var cleaned = OrderNumber().Replace(message, "").Trim(' ', '，', ',', '。', '.', '！', '!', '：', ':');
        if (cleaned.Length == 0)
            return null;
        var beyondRequest = RouterRules.RefundRequest().Replace(Knowledge.SearchText.Normalize(cleaned), "");
        var described = Knowledge.SearchText.Runs(beyondRequest).Sum(r => r.Characters.Count(c => !Knowledge.QueryStopCharacters.Contains(c)));
        if (!ReasonWords().IsMatch(cleaned) && described < 4)
            return null;
        return cleaned.Length > MaxReasonCharacters ? cleaned[..MaxReasonCharacters] : cleaned;
    }

    internal static string? ExtractAddress(string message)
    {
        var match = AddressAfterVerb().Match(message);
        if (!match.Success)
            return null;
        var address = match.Groups["address"].Value.Trim().TrimEnd('。', '.', '！', '!', '，', ',');
        return LooksLikeAddress(address) ? address : null;
    }

    private static bool LooksLikeAddress(string text) => text.Length >= 5 && AddressWords().IsMatch(text);

    private static string ToolFor(OrderAction action) => action switch
    {
        OrderAction.Tracking => TrackLogistics,
        OrderAction.Refund => RequestRefund,
        OrderAction.ChangeAddress => ChangeAddress,
        _ => QueryOrder,
    };

    private static OrderAction ActionFor(string tool) => tool switch
    {
        TrackLogistics => OrderAction.Tracking,
        RequestRefund => OrderAction.Refund,
        ChangeAddress => OrderAction.ChangeAddress,
        _ => OrderAction.Status,
    };

    [GeneratedRegex(@"质量|坏了|破损|损坏|无法开机|开不了机|不能用|用不了|不工作|漏水|异味|与描述不符|不符|发错|少发|漏发|不想要|不需要|买错|拍错|尺寸|尺码|大小|不合适|不喜欢|无理由|没收到|未收到|拒收|太慢|降价")]
    private static partial Regex ReasonWords();

    [GeneratedRegex(@"仅退款|只退款|只要退款|没收到|未收到|拒收")]
    private static partial Regex OnlyRefund();

    [GeneratedRegex(@"(?i)ord\d{5}")]
    private static partial Regex OrderNumber();

    [GeneratedRegex(@"(改成|改为|换成|改到|送到|寄到|新地址(是|为)?|地址(是|为))[:：\s]*(?<address>.+)$")]
    private static partial Regex AddressAfterVerb();

    [GeneratedRegex(@"省|市|区|县|镇|乡|村|路|街|道|号|巷|弄|栋|幢|单元|室|小区|大厦")]
    private static partial Regex AddressWords();
}
