using System.Text.RegularExpressions;

namespace Kefu.Service.Routing;

/// <summary>
/// A small lexicon heuristic for strong negative sentiment, which hands the conversation to a person. Mild
/// frustration ("太慢了") gets an apology from the bot; strong anger (abuse of the service, "受够了", threats to
/// leave, shouting with repeated exclamation marks) or frustration that persists over turns goes to a human.
/// Scored over the normalised message: each upset phrase 1, each strong phrase 2, shouting 1, and 1 more when
/// the customer was already upset in the previous message; strong from <see cref="Threshold"/>.
/// </summary>
internal static partial class NegativeSentiment
{
    public const int Threshold = 3;

    [GeneratedRegex(@"受够了?|忍无可忍|气死(我)?了|气炸|火大|太过分|欺人太甚|再也不(买|来|会)|最后一次|拉黑|恶心死|什么垃圾|垃圾(店|平台|客服|服务)|骗子|骗钱|黑店|滚")]
    private static partial Regex Strong();

    [GeneratedRegex(@"[!！]{2,}|[?？]{3,}")]
    private static partial Regex Shouting();

    public static int Score(string normalizedMessage, string? previousCustomerMessage)
    {
        var score = RouterRules.Upset().Matches(normalizedMessage).Select(m => m.Value).Distinct(StringComparer.Ordinal).Count();
        score += 2 * Strong().Matches(normalizedMessage).Select(m => m.Value).Distinct(StringComparer.Ordinal).Count();
        if (Shouting().IsMatch(normalizedMessage))
            score++;
        if (score > 0 && previousCustomerMessage is not null
            && (RouterRules.Upset().IsMatch(previousCustomerMessage) || Strong().IsMatch(previousCustomerMessage)))
            score++;
        return score;
    }

    public static bool IsStrong(string normalizedMessage, string? previousCustomerMessage) =>
        Score(normalizedMessage, previousCustomerMessage) >= Threshold;
}
