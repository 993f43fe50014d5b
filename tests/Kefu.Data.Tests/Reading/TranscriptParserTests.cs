using Kefu.Data.Reading;

namespace Kefu.Data.Tests.Reading;

public sealed class TranscriptParserTests
{
    [Fact]
    public void TryParse_SeedArticleInput_GivesAlternatingTurns()
    {
        TranscriptParser.TryParse("用户:我的订单什么时候到?\n客服:请提供订单号\n用户:ORD12345", out var turns).ShouldBeTrue();

        turns.Select(t => (t.Role, t.Content)).ShouldBe([("user", "我的订单什么时候到?"), ("assistant", "请提供订单号"), ("user", "ORD12345")]);
    }

    [Fact]
    public void TryParse_FullWidthColonsOtherSpeakerNamesAndContinuationLines_AreHandled()
    {
        TranscriptParser.TryParse("客户：你好\n在吗\n助手： 您好，请讲\n顾客：退货怎么退", out var turns).ShouldBeTrue();

        turns.Select(t => (t.Role, t.Content)).ShouldBe([("user", "你好\n在吗"), ("assistant", "您好，请讲"), ("user", "退货怎么退")]);
    }

    [Theory]
    [InlineData("这是一段普通的补充说明")]
    [InlineData("客户:张三")]                       // one speaker only: data, not a dialogue
    [InlineData("订单信息\n用户:ORD12345\n客服:好的")] // the first line is not a speaker line
    public void TryParse_TextThatIsNotATranscript_IsRejected(string input) =>
        TranscriptParser.TryParse(input, out _).ShouldBeFalse();
}
