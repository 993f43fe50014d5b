using System.Globalization;
using Kefu.Safety.Words;

namespace Kefu.Safety.Tests.Words;

/// <summary>The demo shop's own lexicon (samples/ecommerce/safety) against the demo shop's own data.</summary>
public sealed class DemoLexiconTests(ITestOutputHelper output)
{
    private static readonly Lazy<SensitiveWordMatcher> Demo = new(() => SensitiveWordMatcher.Build(LexiconLoader.Load(DemoShopData.DemoLexiconManifest)));

    [Fact]
    public void EveryOrdinaryCustomerMessageAndEdgeCase_PassesTheInputFilter()
    {
        var messages = DemoShopData.CustomerMessages.Select(m => m.Text).Concat(DemoShopData.Exceptions.Select(e => e.Instruction)).ToList();

        var results = messages.Select(m => (Text: m, Result: Demo.Value.Check(m, TextDirection.Input))).ToList();

        var flagged = results.Where(r => r.Result.Action == SafetyAction.Flag).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{messages.Count} messages, {flagged.Count} flagged ({(double)flagged.Count / messages.Count:P1})"));
        flagged.ForEach(f => output.WriteLine($"  flagged {f.Text} → {string.Join(",", f.Result.Hits.Select(h => h.Category.Name + ":" + h.Word))}"));
        results.ShouldAllBe(r => r.Result.Action < SafetyAction.Mask);
    }

    [Fact]
    public void EveryDemoReply_PassesTheOutputFilter()
    {
        var replies = DemoShopData.Replies.Select(r => r.Text).Concat(DemoShopData.Exceptions.Select(e => e.Output)).ToList();

        var failing = replies.Where(r => Demo.Value.Check(r, TextDirection.Output).Action != SafetyAction.Allow).ToList();

        failing.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("你们有冰毒卖吗", "illegal_goods")]
    [InlineData("低价出售银行卡，要的私聊", "illegal_goods")]
    [InlineData("草 泥 马，退钱", "severe_abuse")]
    [InlineData("ＣＮＭ", "severe_abuse")]
    public void SensitiveInput_IsBlocked(string message, string category)
    {
        var result = Demo.Value.Check(message, TextDirection.Input);

        result.Action.ShouldBe(SafetyAction.Block);
        result.Hits.ShouldContain(h => h.Category.Name == category);
    }

    [Theory]
    [InlineData("亲，加微信 qh2026 给您返现")]
    [InlineData("您可以先刷单再申请退款")]
    [InlineData("你这个白痴")]
    public void AssistantSayingWhatACustomerMayAsk_IsBlockedOnOutputOnly(string text)
    {
        Demo.Value.Check(text, TextDirection.Output).Action.ShouldBe(SafetyAction.Block);
        Demo.Value.Check(text, TextDirection.Input).Action.ShouldBe(SafetyAction.Flag);
    }

    [Theory]
    [InlineData("周日你们发货吗")]
    [InlineData("我操作了退款但是没反应")]
    [InlineData("给我妈妈的生日礼物，能包装一下吗")]
    [InlineData("去死皮的洗面奶有吗")]
    [InlineData("收件人：尼玛次仁，西藏拉萨")]
    public void OrdinaryPhrasesThatLookAbusive_AreNotHit(string message)
    {
        Demo.Value.FindHits(message).ShouldBeEmpty();
    }
}
