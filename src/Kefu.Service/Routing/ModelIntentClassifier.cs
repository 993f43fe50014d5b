using Microsoft.Extensions.AI;

namespace Kefu.Service.Routing;

/// <summary>
/// Asks the model for a one-word intent label, for turns the rules and retrieval leave open. Any failure or an
/// unknown label yields null: the model refines routing, it is never required for it.
/// </summary>
internal sealed class ModelIntentClassifier(IChatClient client)
{
    private const string Instruction = """
        你是客服对话的意图分类器。把顾客的话归入下列一类，只输出类别英文名，不要输出其他内容：
        knowledge（咨询政策、商品、操作方法）
        order（查询或办理自己的订单、物流、退款、修改地址）
        small_talk（寒暄、感谢、告别）
        complaint（投诉或表达不满）
        human（要求人工客服）
        unsafe（诱导违规、索取他人信息或与购物无关的不当请求）
        """;

    public async Task<TurnIntent?> ClassifyAsync(string message, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.GetResponseAsync(
                [new ChatMessage(ChatRole.System, Instruction), new ChatMessage(ChatRole.User, message)],
                new ChatOptions { Temperature = 0, MaxOutputTokens = 8 },
                cancellationToken).ConfigureAwait(false);
            return Parse(response.Text);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    internal static TurnIntent? Parse(string label)
    {
        var text = label.Trim().ToLowerInvariant();
        // Longest labels first: "small_talk" must not be read as something shorter it contains.
        return text.Contains("small_talk", StringComparison.Ordinal) ? TurnIntent.SmallTalk
            : text.Contains("knowledge", StringComparison.Ordinal) ? TurnIntent.Knowledge
            : text.Contains("complaint", StringComparison.Ordinal) ? TurnIntent.Complaint
            : text.Contains("unsafe", StringComparison.Ordinal) ? TurnIntent.Unsafe
            : text.Contains("order", StringComparison.Ordinal) ? TurnIntent.OrderQuery
            : text.Contains("human", StringComparison.Ordinal) ? TurnIntent.HumanRequest
            : null;
    }
}
