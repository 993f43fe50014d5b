using System.Text.RegularExpressions;
using Kefu.Text;

namespace Kefu.Data.Reading;

/// <summary>
/// Turns the seed article's packed history — an Alpaca <c>input</c> of lines like <c>用户:我的订单什么时候到?</c> /
/// <c>客服:请提供订单号</c> — into real user/assistant turns, so training sees the same ChatML shape the service
/// sends at inference (where history is turns, never a transcript inside one user message).
/// </summary>
internal static partial class TranscriptParser
{
    // Customer names: 用户 (user), 顾客 (shopper), 客户 (client), 买家 (buyer); agent names: 客服, 助手, 人工客服.
    // ASCII ':' and full-width '：' are both common.
    [GeneratedRegex(@"^\s*(?<speaker>用户|顾客|客户|买家|人工客服|客服|助手)\s*[:：]\s?(?<text>.*)$")]
    private static partial Regex SpeakerLine();

    /// <summary>
    /// Parses <paramref name="input"/> as a transcript. It is one when its first non-empty line starts with a speaker
    /// label and both speakers appear; later lines without a label continue the previous turn, and consecutive lines
    /// of one speaker merge.
    /// </summary>
    public static bool TryParse(string input, out List<ChatTurn> turns)
    {
        turns = [];
        var lines = input.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string? role = null;
        var text = new List<string>();
        foreach (var line in lines)
        {
            var match = SpeakerLine().Match(line);
            if (!match.Success)
            {
                if (role is null)
                {
                    if (line.Trim().Length == 0)
                        continue;
                    turns = [];
                    return false;
                }
                text.Add(line);
                continue;
            }
            var speaker = match.Groups["speaker"].Value;
            var nextRole = speaker is "用户" or "顾客" or "客户" or "买家" ? "user" : "assistant";
            if (role is not null && role != nextRole)
            {
                turns.Add(new ChatTurn(role, string.Join('\n', text).Trim()));
                text.Clear();
            }
            role = nextRole;
            text.Add(match.Groups["text"].Value);
        }
        if (role is null)
            return false;
        turns.Add(new ChatTurn(role, string.Join('\n', text).Trim()));
        // One labelled line ("客户:张三") is more likely data than a dialogue: a transcript has both speakers.
        if (turns.Count < 2)
        {
            turns = [];
            return false;
        }
        return true;
    }
}
