using System.Globalization;
using Kefu.Data.Records;
using Kefu.Text;

namespace Kefu.Data.Categories;

/// <summary>
/// Infers a category from content when neither the record nor the manifest gives one: exception-handling keywords
/// (complaints, prompt injection, requests for a human, refusals) first, then dialogue (several user turns or tool
/// calls), else knowledge (one question, one answer).
/// </summary>
public static class CategoryClassifier
{
    // Keywords a customer writes when complaining, asking for a person, or trying to subvert the assistant.
    private static readonly (string Keyword, string Why)[] CustomerSignals =
    [
        ("投诉", "complaint"), ("差评", "complaint"), ("举报", "complaint"), ("12315", "complaint"), ("消协", "complaint"),
        ("消费者协会", "complaint"), ("骗子", "complaint"), ("骗人", "complaint"), ("坑人", "complaint"), ("维权", "complaint"),
        ("曝光你们", "complaint"), ("起诉", "complaint"), ("律师", "complaint"), ("太垃圾", "complaint"), ("气死", "complaint"),
        ("转人工", "human request"), ("人工客服", "human request"), ("找人工", "human request"), ("要人工", "human request"),
        ("人工服务", "human request"), ("真人", "human request"), ("你们经理", "human request"), ("你们领导", "human request"),
        ("忽略之前", "prompt injection"), ("忽略以上", "prompt injection"), ("忽略上面", "prompt injection"), ("忽略前面", "prompt injection"),
        ("忽略你的", "prompt injection"), ("忘记之前", "prompt injection"), ("忘掉你的", "prompt injection"), ("提示词", "prompt injection"),
        ("系统提示", "prompt injection"), ("system prompt", "prompt injection"), ("ignore previous", "prompt injection"),
        ("ignore all previous", "prompt injection"), ("ignore the above", "prompt injection"), ("越狱", "prompt injection"),
        ("jailbreak", "prompt injection"), ("开发者模式", "prompt injection"), ("developer mode", "prompt injection"),
        ("扮演", "prompt injection"),
    ];

    // Phrases an assistant uses when declining: the sample teaches a refusal or a hand-off.
    private static readonly (string Keyword, string Why)[] AssistantSignals =
    [
        ("无法回答", "refusal"), ("不能回答", "refusal"), ("无法透露", "refusal"), ("不便透露", "refusal"), ("不能透露", "refusal"),
        ("无法提供这", "refusal"), ("无法协助", "refusal"), ("超出了我的服务范围", "refusal"), ("超出服务范围", "refusal"),
        ("只能回答与", "refusal"), ("为您转接人工", "hand-off"), ("转接人工", "hand-off"), ("为您转人工", "hand-off"),
    ];

    /// <summary>Returns the inferred category and a short reason (e.g. <c>keyword '转人工' (human request)</c>).</summary>
    public static (DataCategory Category, string Reason) Infer(IReadOnlyList<ChatTurn> turns)
    {
        var userText = string.Join('\n', turns.Where(t => t.Role == "user").Select(t => t.Content));
        var assistantText = string.Join('\n', turns.Where(t => t.Role == "assistant").Select(t => t.Content));
        foreach (var (keyword, why) in CustomerSignals)
        {
            if (userText.Contains(keyword, StringComparison.OrdinalIgnoreCase))
                return (DataCategory.Exception, $"keyword '{keyword}' ({why})");
        }
        foreach (var (keyword, why) in AssistantSignals)
        {
            if (assistantText.Contains(keyword, StringComparison.Ordinal))
                return (DataCategory.Exception, $"answer phrase '{keyword}' ({why})");
        }
        var userTurns = turns.Count(t => t.Role == "user");
        if (userTurns >= 2)
            return (DataCategory.Dialogue, string.Create(CultureInfo.InvariantCulture, $"multi-turn ({userTurns} user turns)"));
        if (turns.Any(t => t.ToolCalls.Count > 0))
            return (DataCategory.Dialogue, "tool calls");
        return (DataCategory.Knowledge, "single question/answer");
    }
}
