using System.Text;
using Kefu.Safety.Words;
using Kefu.Text;

namespace Kefu.Safety.Tests.Words;

public sealed class SensitiveWordMatcherTests
{
    private static readonly SensitiveWordMatcher Matcher = TestLexicons.Matcher(
        abuse: ["敏感", "傻逼", "sb", "咪咪"], ads: ["客服", "加微信"], contact: ["加v"], whitelist: ["联系客服"]);

    [Theory]
    [InlineData("这是敏感词", "敏感")]
    [InlineData("这是敏*感词", "敏*感")]
    [InlineData("这是敏 感词", "敏 感")]
    [InlineData("这是敏\u200B感词", "敏\u200B感")]
    [InlineData("这是敏😀感词", "敏😀感")]
    [InlineData("这是敏、-_感词", "敏、-_感")]
    [InlineData("这是敏敏感感词", "敏敏感")]
    [InlineData("加 微 信 吧", "加 微 信")]
    public void FindHits_SeparatorsAndRepeatsBetweenCharacters_StillMatchAndMapToTheOriginalSpan(string text, string expectedSpan)
    {
        var hit = Matcher.FindHits(text).ShouldHaveSingleItem();

        text.Substring(hit.Start, hit.Length).ShouldBe(expectedSpan);
        hit.MatchedText.ShouldBe(expectedSpan);
    }

    [Theory]
    [InlineData("ＳＢ", "sb")]
    [InlineData("你是SB吗", "sb")]
    [InlineData("你是 s b 吗", "sb")]
    [InlineData("加Ｖ吧", "加v")]
    public void FindHits_FullWidthAndUpperCase_MatchTheListedWord(string text, string word)
    {
        Matcher.FindHits(text).ShouldHaveSingleItem().Word.ShouldBe(word);
    }

    [Theory]
    [InlineData("it's big")]
    [InlineData("jobs bank")]
    [InlineData("USB接口")]
    [InlineData("sbc")]
    [InlineData("加vip会员")]
    public void FindHits_LatinWordInsideALongerLatinWord_DoesNotMatch(string text)
    {
        Matcher.FindHits(text).ShouldBeEmpty();
    }

    [Fact]
    public void FindHits_ListedDoubleCharacter_NeedsBothCharacters()
    {
        Matcher.FindHits("猫咪很可爱").ShouldBeEmpty();
        Matcher.FindHits("咪咪").ShouldHaveSingleItem().Word.ShouldBe("咪咪");
    }

    [Fact]
    public void FindHits_WordInsideAWhitelistedPhrase_IsSuppressed()
    {
        Matcher.FindHits("请联系客服处理").ShouldBeEmpty();
        Matcher.FindHits("请联系 客 服处理").ShouldBeEmpty();
        Matcher.FindHits("客服在吗").ShouldHaveSingleItem().Category.Name.ShouldBe("ads");
    }

    [Fact]
    public void FindHits_WhitelistCoversOnlyPartOfTheWord_DoesNotSuppress()
    {
        var matcher = TestLexicons.Matcher(abuse: ["日你"], whitelist: ["周日"]);

        matcher.FindHits("周日你们上班吗").ShouldHaveSingleItem();
        TestLexicons.Matcher(abuse: ["日你"], whitelist: ["周日你"]).FindHits("周日你们上班吗").ShouldBeEmpty();
    }

    [Fact]
    public void FindHits_OverlappingWords_AreAllReported()
    {
        var matcher = TestLexicons.Matcher(abuse: ["他妈", "他妈的", "妈的"]);

        matcher.FindHits("他妈的").Select(h => h.Word).ShouldBe(["他妈", "他妈的", "妈的"], ignoreOrder: true);
    }

    [Fact]
    public void FindHits_WordListedInTwoCategories_TheStrongerDecides()
    {
        var lexicon = new LexiconBuilder()
            .Add(TestLexicons.Ads, ["婊子"])
            .Add(TestLexicons.Abuse, ["婊子"])
            .Build();

        SensitiveWordMatcher.Build(lexicon).FindHits("婊子").ShouldHaveSingleItem().Category.ShouldBe(TestLexicons.Abuse);
    }

    [Fact]
    public void Check_MaskCategory_MasksTheSpanAndKeepsTheRest()
    {
        var result = Matcher.Check("可以加 V 聊", TextDirection.Output);

        result.Action.ShouldBe(SafetyAction.Mask);
        result.Text.ShouldBe("可以*** 聊");
    }

    [Fact]
    public void Check_DirectionDecidesTheAction()
    {
        Matcher.Check("加V", TextDirection.Input).Action.ShouldBe(SafetyAction.Flag);
        Matcher.Check("加V", TextDirection.Input).Text.ShouldBe("加V");
        Matcher.Check("加V", TextDirection.Output).Action.ShouldBe(SafetyAction.Mask);
    }

    [Fact]
    public void Check_BlockedWord_IsMaskedInTheLoggableText()
    {
        var result = Matcher.Check("你个傻😀逼", TextDirection.Input);

        result.Action.ShouldBe(SafetyAction.Block);
        result.Text.ShouldBe("你个***");
    }

    [Fact]
    public void Check_NoHit_ReturnsTheSameTextAndAllow()
    {
        const string text = "我的订单ORD12345什么时候发货？";

        var result = Matcher.Check(text, TextDirection.Input);

        result.Action.ShouldBe(SafetyAction.Allow);
        result.Text.ShouldBeSameAs(text);
    }

    [Fact]
    public void FindHits_HitsAfterSurrogatePairs_KeepOriginalOffsets()
    {
        const string text = "𠮷😀𠮷敏感";

        var hit = Matcher.FindHits(text).ShouldHaveSingleItem();

        text.Substring(hit.Start, hit.Length).ShouldBe("敏感");
    }

    [Fact]
    public void Build_WordWithOnlySeparators_FailsNamingItsOrigin()
    {
        var lexicon = new LexiconBuilder().Add(TestLexicons.Abuse, ["好词", "***"], origin: "abuse.txt").Build();

        Should.Throw<LexiconFormatException>(() => SensitiveWordMatcher.Build(lexicon)).Message.ShouldContain("abuse.txt:2");
    }

    [Fact]
    public void ClassTable_FoldsEveryBmpCharacterLikeTheNormaliser()
    {
        // The automaton folds through a lookup table built from TextNormalizer.TryFold; pattern text and scanned text
        // must fold the same way for every character, or a listed word written in another form slips through.
        var alphabet = "abcdefghijklmnopqrstuvwxyz0123456789敏感客服加微信";
        var matcher = TestLexicons.Matcher(abuse: alphabet.Select(c => c + "x"));
        var automaton = matcher.Automaton;
        for (var c = 0; c <= char.MaxValue; c++)
        {
            if (char.IsSurrogate((char)c))
                continue;
            var normalized = TextNormalizer.Normalize(((char)c).ToString(), Folding);
            var cls = automaton.ClassOf((char)c);
            if (normalized.Length == 0)
                cls.ShouldBe(0xFFFF, $"U+{c:X4} is a separator");
            else if (normalized.Length == 1 && alphabet.Contains(normalized[0], StringComparison.Ordinal))
                cls.ShouldBe(automaton.ClassOf(normalized[0]), $"U+{c:X4} folds to {normalized}");
            else
                cls.ShouldBe(0, $"U+{c:X4} folds to {normalized}, which no word uses");
        }
    }

    [Fact]
    public void FindHits_LongRandomText_AgreesWithANaiveSearchOverTheNormalisedText()
    {
        var words = new[] { "敏感", "感觉", "客服", "服务", "ab", "abc", "bcd", "加微信" };
        var matcher = TestLexicons.Matcher(abuse: words);
        var random = new Random(7);
        const string pieces = "敏感觉客服务加微信好的 *xabcd";
        var builder = new StringBuilder();
        var previous = '\0';
        while (builder.Length < 4000)
        {
            // No character twice in a row (separators aside): repeats are stutters, tested on their own.
            var c = pieces[random.Next(pieces.Length)];
            if (c == previous)
                continue;
            builder.Append(c);
            if (c is not (' ' or '*'))
                previous = c;
        }
        var text = builder.ToString();

        var normalized = TextNormalizer.NormalizeWithOffsets(text, Folding);
        var expected = new List<(string Word, int Start, int Length)>();
        foreach (var word in words)
        {
            for (var at = normalized.Text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = normalized.Text.IndexOf(word, at + 1, StringComparison.Ordinal))
            {
                var (start, length) = normalized.ToSource(at, word.Length);
                var latin = char.IsAsciiLetter(word[0]);
                var before = start > 0 ? text[start - 1] : ' ';
                var after = start + length < text.Length ? text[start + length] : ' ';
                if (latin && (char.IsAsciiLetter(before) || char.IsAsciiLetter(after)))
                    continue;
                expected.Add((word, start, length));
            }
        }

        var actual = matcher.FindHits(text).Select(h => (h.Word, h.Start, h.Length)).ToList();

        actual.ShouldBe(expected, ignoreOrder: true);
    }

    private const TextNormalizationOptions Folding =
        TextNormalizationOptions.FoldWidth | TextNormalizationOptions.FoldCase | TextNormalizationOptions.RemoveSeparators;
}
