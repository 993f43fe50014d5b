using System.Globalization;
using System.Text;
using Kefu.Service.Knowledge;
using Kefu.Service.Routing;
using Kefu.Service.Tools.Shop;

namespace Kefu.Service.Responding;

/// <summary>
/// The assistant's fixed wording (Chinese): what it says without a model, and the policy messages it says the same
/// way with one (hand-off, refusal, confirmation). Facts come only from the knowledge base and tool results.
/// </summary>
public sealed class ReplyTemplates(KefuServiceOptions options)
{
    private const int MaxAnswerCharacters = 500;

    private string Hours => options.HumanServiceHours is { Length: > 0 } hours ? $"（人工客服服务时间：{hours}）" : "";

    public string Greeting() =>
        $"您好，欢迎来到{options.ShopName}！我是{options.AssistantName}，可以为您解答退换货、配送、发票、优惠券、会员等问题，也可以帮您查询订单和物流。请问有什么可以帮您？";

    public static string Thanks() => "不客气，很高兴能帮到您！还有其他问题随时找我。";

    public static string Goodbye() => "感谢您的咨询，祝您生活愉快，再见！";

    public string Identity() =>
        $"我是{options.ShopName}的{options.AssistantName}，可以解答常见问题、查询订单和物流、提交退款申请、修改未发货订单的地址。如需人工服务，请发送“转人工”{Hours}。";

    public string DontKnow() =>
        $"抱歉，这个问题我暂时没有找到确切的答案，为了不给您错误的信息，我就不随意回答了。您可以换个说法再问我，或者发送“转人工”联系人工客服{Hours}。";

    public string Refusal() =>
        $"抱歉，这个请求我无法处理。我是{options.ShopName}的{options.AssistantName}，只能协助处理您本人的订单和本店的售前售后问题；为保护顾客隐私，也不能提供其他顾客的任何信息。";

    public static string Apology() => "非常抱歉给您带来了不好的体验，您的心情我完全理解。";

    public static string ComplaintFollowUp() =>
        "能具体说说遇到了什么问题吗？如果和订单有关，请告诉我订单号（ORD加5位数字），我马上帮您查询处理；您也可以发送“转人工”由人工客服为您跟进。";

    /// <summary>The hand-off notice, with the customer's place in the agent queue when known (1 = next).</summary>
    public string Handoff(HandoffReason reason, int queuePosition) => Handoff(reason) + QueuePlace(queuePosition);

    public string Handoff(HandoffReason reason)
    {
        var opening = reason switch
        {
            HandoffReason.Unresolved => "抱歉，我没能解决您的问题，已为您转接人工客服，请稍候。",
            HandoffReason.Complaint => Apology() + "已为您转接人工客服专门跟进处理，请稍候。",
            HandoffReason.ToolUnavailable => "抱歉，订单系统暂时无法访问，已为您转接人工客服，请稍候。",
            HandoffReason.NegativeSentiment => Apology() + "已为您优先转接人工客服，请稍候。",
            HandoffReason.Safety => "已为您转接人工客服继续处理，请稍候。",
            HandoffReason.TurnLimit => TurnLimitReached(options.MaxCustomerTurns) + "已为您转接人工客服继续处理，请稍候。",
            _ => "好的，正在为您转接人工客服，请稍候。",
        };
        var hours = options.HumanServiceHours is { Length: > 0 } h
            ? $"人工客服服务时间为{h}，非服务时间的留言会在上班后按顺序回复。"
            : "";
        return opening + hours + "您的对话记录会一并转给客服，无需重复描述。";
    }

    /// <summary>Why the customer's message was not taken: the conversation is at its limit (the number is the limit).</summary>
    public static string TurnLimitReached(int limit) =>
        $"本次对话已达到{limit}条消息的上限，您刚才的消息未能送达。";

    /// <summary>What a customer at the limit is told while a person has (or is about to have) the conversation.</summary>
    public static string TurnLimitWithHuman(int limit) =>
        TurnLimitReached(limit) + "人工客服会在这里继续回复您；客服结束本次对话后，您可以开始新的对话。";

    public static string WaitingForHuman() => "您已在人工客服队列中，客服接入后会马上回复您，请稍候。";

    /// <summary>The waiting notice with the customer's place in the queue (1 = next; 0 = unknown).</summary>
    public static string WaitingForHuman(int queuePosition) => WaitingForHuman() + QueuePlace(queuePosition);

    private static string QueuePlace(int position) => position switch
    {
        <= 0 => "",
        1 => "您目前排在第1位，下一位就是您。",
        _ => $"您目前排在第{position}位，前面还有{position - 1}位顾客。",
    };

    public string AskOrderId(OrderAction action) =>
        $"请提供您的订单号（{options.OrderIdHint ?? "可以在“我的订单”里查看"}），我马上帮您{ActionWords(action)}。";

    public static string AskRefundReason(string orderId) =>
        $"好的，请问订单 {orderId} 申请退款的原因是什么？（例如：不想要了、质量问题无法开机、商品破损等）";

    public static string AskNewAddress(string orderId) =>
        $"好的，请告诉我订单 {orderId} 的新收货地址（省、市、区和详细门牌号）。";

    public static string ConfirmRefund(OrderInfo order, string refundType, string reason) =>
        $"为您确认一下退款申请：订单 {order.OrderId}（{ItemSummary(order)}），退款类型「{refundType}」，原因：{reason}。"
        + "确认提交请回复“确认”，不需要请回复“取消”。";

    public static string Cancelled() => "好的，已为您取消，本次没有提交任何申请。还有其他需要帮忙的吗？";

    public static string NoOrderSystem() => "抱歉，当前没有接入订单系统，无法为您查询或办理订单业务。";

    public static string KnowledgeAnswer(KnowledgeHit hit)
    {
        var text = hit.Text.Length <= MaxAnswerCharacters ? hit.Text : hit.Text[..MaxAnswerCharacters].TrimEnd() + "……";
        var citation = hit.Kind == KnowledgeChunkKind.Faq ? $"常见问题「{hit.Title}」" : hit.Title;
        return $"{text}\n\n（参考：{citation}）";
    }

    public static string ItemSummary(OrderInfo order) =>
        string.Join("、", order.Items.Select(i => i.Quantity == 1 ? i.Name : $"{i.Name}×{i.Quantity}"));

    public static string Money(decimal amount) => "¥" + amount.ToString("F2", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset time) => time.ToString("M月d日 HH:mm", CultureInfo.InvariantCulture);

    public static string Day(DateTimeOffset time) => time.ToString("M月d日", CultureInfo.InvariantCulture);

    internal static string ActionWords(OrderAction action) => action switch
    {
        OrderAction.Tracking => "查询物流",
        OrderAction.Refund => "办理退款",
        OrderAction.ChangeAddress => "修改地址",
        _ => "查询订单",
    };

    internal static StringBuilder Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
