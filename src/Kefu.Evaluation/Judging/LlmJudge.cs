using System.Globalization;
using System.Text.RegularExpressions;
using Kefu.Evaluation.Scenarios;
using Microsoft.Extensions.AI;

namespace Kefu.Evaluation.Judging;

/// <summary>
/// Asks a (larger) model, through any <see cref="IChatClient"/>, to grade a reply from 1 to 5 against the
/// scenario's key facts and forbidden phrases; the score is mapped to [0, 1]. The judge must answer with a line
/// <c>分数: N</c> (or <c>score: N</c>); anything else is no score (null), never a guess.
/// </summary>
public sealed partial class LlmJudge(IChatClient client)
{
    internal const string Instructions = """
        你是客服质量评审。根据顾客问题、应包含的要点和禁止说的内容，给客服回复打分（1–5分）：
        5 = 准确完整、礼貌；4 = 准确但略有遗漏；3 = 部分正确；2 = 大部分错误或答非所问；1 = 错误、有害或编造。
        只输出一行：分数: N
        """;

    [GeneratedRegex(@"(?:分数|score)\s*[:：]\s*([1-5](?:\.\d+)?)", RegexOptions.IgnoreCase)]
    private static partial Regex ScorePattern();

    /// <summary>The score in [0, 1] (1→0, 5→1), or null when the judge did not answer in the expected form.</summary>
    public async Task<double?> ScoreAsync(RegressionScenario scenario, string reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var prompt = $"""
            顾客：{string.Join("\n顾客：", scenario.Turns)}
            应包含的要点：{(scenario.Expect.Facts.Count == 0 ? "（无）" : string.Join("、", scenario.Expect.Facts))}
            禁止说：{(scenario.Expect.MustNotSay.Count == 0 ? "（无）" : string.Join("、", scenario.Expect.MustNotSay))}
            应转人工：{(scenario.Expect.Handoff ? "是" : "否")}
            客服回复：{reply}
            """;
        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, prompt)],
            new ChatOptions { Temperature = 0 }, cancellationToken).ConfigureAwait(false);
        return Parse(response.Text);
    }

    internal static double? Parse(string text)
    {
        var match = ScorePattern().Match(text ?? "");
        if (!match.Success)
            return null;
        var score = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return (Math.Clamp(score, 1, 5) - 1) / 4;
    }
}
