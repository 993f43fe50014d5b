using System.Text;
using Kefu.Safety.Words;

namespace Kefu.Safety.Tests.Words;

public sealed class StreamingWordFilterTests
{
    private static readonly SensitiveWordMatcher Matcher = TestLexicons.Matcher(
        abuse: ["敏感词", "傻逼", "sb"], ads: ["客服"], contact: ["加微信", "加v"], whitelist: ["联系客服"]);

    [Fact]
    public void Push_BlockedWordSplitAcrossChunks_IsNeverReleased()
    {
        var filter = Matcher.BeginStream();
        var released = new StringBuilder();

        foreach (var chunk in new[] { "您好，这个", "敏", "*感", "词不能说，后面的话" })
        {
            var update = filter.Push(chunk);
            released.Append(update.Released);
            released.ToString().ShouldNotContain("敏"); // not even the first character of the word gets out
        }
        var end = filter.Complete();
        released.Append(end.Released);

        filter.IsBlocked.ShouldBeTrue();
        end.Blocked.ShouldBeTrue();
        released.ToString().ShouldBe("您好，这个");
        filter.Hits.ShouldHaveSingleItem().Word.ShouldBe("敏感词");
        filter.Hits[0].MatchedText.ShouldBe("敏*感词");
    }

    [Fact]
    public void Push_AfterBlock_ReleasesNothingMore()
    {
        var filter = Matcher.BeginStream();
        filter.Push("你个傻逼").Blocked.ShouldBeTrue(); // decided at once: 傻逼 cannot grow into a longer pattern

        var update = filter.Push("，还有更多内容");

        update.Released.ShouldBeEmpty();
        update.Blocked.ShouldBeTrue();
    }

    [Fact]
    public void Push_MaskedWordSplitAcrossChunks_IsReleasedMasked()
    {
        var filter = Matcher.BeginStream();
        var released = new StringBuilder();

        foreach (var chunk in new[] { "可以加", "微", "信聊，谢谢" })
            released.Append(filter.Push(chunk).Released);
        released.Append(filter.Complete().Released);

        released.ToString().ShouldBe("可以***聊，谢谢");
        filter.IsBlocked.ShouldBeFalse();
    }

    [Fact]
    public void Push_PlainText_IsReleasedAtOnceExceptAPossibleWordStart()
    {
        var filter = Matcher.BeginStream();

        filter.Push("您的订单已发货").Released.ShouldBe("您的订单已发货");
        var update = filter.Push("，请联系");

        update.Released.ShouldBe("，请");
        filter.HeldLength.ShouldBe(2); // 联系 could still become 联系客服
    }

    [Fact]
    public void Push_WhitelistedPhraseSplitAcrossChunks_IsNotFlagged()
    {
        var filter = Matcher.BeginStream();
        var released = new StringBuilder();

        foreach (var chunk in new[] { "请联系客", "服处理" })
            released.Append(filter.Push(chunk).Released);
        released.Append(filter.Complete().Released);

        released.ToString().ShouldBe("请联系客服处理");
        filter.Hits.ShouldBeEmpty();
    }

    [Fact]
    public void Push_LatinWordAtTheEndOfAChunk_WaitsForTheNextCharacter()
    {
        var filter = Matcher.BeginStream();

        filter.Push("the sb").Released.ShouldBe("the ");
        filter.Push("c chip").Released.ShouldBe("sbc chip");
        filter.Hits.ShouldBeEmpty();
    }

    [Fact]
    public void Push_HitOffsets_CountFromTheStartOfTheStream()
    {
        var filter = Matcher.BeginStream();
        filter.Push("您好客服，");
        filter.Push("我想加v");
        filter.Complete();

        filter.Hits.Select(h => (h.Word, h.Start)).ShouldBe([("客服", 2), ("加v", 7)]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(11)]
    public void Stream_AnyChunking_ReleasesExactlyWhatTheBatchCheckProduces(int seed)
    {
        var random = new Random(seed);
        var words = new[] { "敏感词", "敏 感", "傻逼", "客服", "联系客服", "加微信", "加 v", "sb", "sbc", "您好", "，", "😀", "ＳＢ", "订单", " " };
        var text = string.Concat(Enumerable.Range(0, 300).Select(_ => words[random.Next(words.Length)]));
        var batch = Matcher.Check(text, TextDirection.Output);

        var filter = Matcher.BeginStream();
        var released = new StringBuilder();
        for (var at = 0; at < text.Length && !filter.IsBlocked;)
        {
            var size = Math.Min(random.Next(1, 8), text.Length - at);
            released.Append(filter.Push(text.AsSpan(at, size)).Released);
            at += size;
        }
        released.Append(filter.Complete().Released);

        var firstBlock = batch.Hits.FirstOrDefault(h => h.ActionFor(TextDirection.Output) == SafetyAction.Block);
        if (firstBlock is null)
        {
            released.ToString().ShouldBe(batch.Text);
            filter.Hits.Select(h => (h.Word, h.Start, h.Length)).ShouldBe(batch.Hits.Select(h => (h.Word, h.Start, h.Length)));
        }
        else
        {
            filter.IsBlocked.ShouldBeTrue();
            released.ToString().ShouldBe(batch.Text[..firstBlock.Start]);
        }
    }

    [Fact]
    public void Complete_Twice_Throws()
    {
        var filter = Matcher.BeginStream();
        filter.Complete();

        Should.Throw<InvalidOperationException>(() => filter.Complete());
    }
}
