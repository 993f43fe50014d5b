namespace Kefu.Safety.Guards;

/// <summary>What the guards answer instead, in the shop's voice. Kept free of the shop's name so any shop can use the defaults.</summary>
public sealed record SafetyReplies
{
    /// <summary>Sent when a customer message is blocked for its words.</summary>
    public string BlockedInput { get; init; } =
        "抱歉，您的消息中包含不适当的内容，我暂时无法处理。请换一种说法描述您遇到的问题，我会尽力帮您。";

    /// <summary>Sent when a customer message looks like a prompt-injection attempt.</summary>
    public string Injection { get; init; } =
        "抱歉，这个请求我无法执行。我可以帮您查询订单和物流、办理退换货与售后，或者解答发票、优惠券、会员等问题。";

    /// <summary>Sent instead of a reply that contained a blocked word.</summary>
    public string BlockedOutput { get; init; } =
        "抱歉，我刚才没能给出合适的答复。请您换个说法再描述一下问题，或者回复“转人工”，由人工客服为您处理。";
}
