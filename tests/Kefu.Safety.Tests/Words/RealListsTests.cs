using System.Globalization;
using System.Text;
using Kefu.Safety.Words;

namespace Kefu.Safety.Tests.Words;

/// <summary>
/// The filter on the real, noisy public lists (../shared/sensitive-words): ads lists carry 客服, 淘宝, 本店, 到货, so
/// these tests prove that ordinary support messages pass, and measure recall on disguised spellings of listed words.
/// </summary>
public sealed class RealListsTests(ITestOutputHelper output)
{
    [Fact]
    public void OrdinaryCustomerMessages_WithAbuseAndViolenceAsBlock_NoneIsBlocked()
    {
        var matcher = SharedLexicons.Build(out _);
        var messages = DemoShopData.CustomerMessages;
        messages.Count.ShouldBeGreaterThanOrEqualTo(100);

        var results = messages.Select(m => (Message: m, Result: matcher.Check(m.Text, TextDirection.Input))).ToList();

        var blocked = results.Where(r => r.Result.Action == SafetyAction.Block).ToList();
        var flagged = results.Count(r => r.Result.Action == SafetyAction.Flag);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{messages.Count} customer messages: {blocked.Count} blocked, {flagged} flagged ({(double)flagged / messages.Count:P1}) by the real lists"));
        foreach (var (word, count) in results.SelectMany(r => r.Result.Hits).GroupBy(h => h.Word).Select(g => (g.Key, g.Count())).OrderByDescending(g => g.Item2))
            output.WriteLine($"  flagged word {word}: {count}");
        blocked.ShouldBeEmpty(string.Join("\n", blocked.Select(b => $"{b.Message.Source}: {b.Message.Text} → {string.Join(",", b.Result.Hits.Select(h => h.Word))}")));
    }

    [Fact]
    public void OrdinaryReplies_WithAbuseAndViolenceAsBlock_NoneIsBlocked()
    {
        var matcher = SharedLexicons.Build(out _);
        var replies = DemoShopData.Replies;

        var blocked = replies.Where(r => matcher.Check(r.Text, TextDirection.Output).Action == SafetyAction.Block).ToList();
        var flagged = replies.Count(r => matcher.Check(r.Text, TextDirection.Output).Action == SafetyAction.Flag);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{replies.Count} replies: {blocked.Count} blocked, {flagged} flagged ({(double)flagged / replies.Count:P1})"));
        blocked.ShouldBeEmpty(string.Join("\n", blocked.Select(b => $"{b.Source}: {b.Text}")));
    }

    [Theory]
    [InlineData("周日你们发货吗", "日你")]
    [InlineData("我操作了退款但是没反应", "我操")]
    [InlineData("给我妈妈的生日礼物，能包装一下吗", "妈的")]
    [InlineData("去死皮的洗面奶有吗", "去死")]
    [InlineData("能上你们官网买吗", "上你")]
    [InlineData("我日常用的电饭煲坏了", "我日")]
    [InlineData("请联系客服处理", "客服")]
    [InlineData("It's big enough?", "sb")]
    public void OrdinaryPhraseContainingAListedWord_IsNotHit(string message, string listedWord)
    {
        var matcher = SharedLexicons.Build(out var words);
        words.Values.SelectMany(w => w).ShouldContain(w => string.Equals(w, listedWord, StringComparison.OrdinalIgnoreCase));

        matcher.FindHits(message).ShouldBeEmpty();
    }

    [Fact]
    public void WithoutTheWhitelist_OrdinaryMessagesWouldBeFlagged()
    {
        // The control for the test above: the same lists with no whitelist flag far more ordinary messages (客服).
        var withWhitelist = SharedLexicons.Build(out _);
        var without = SensitiveWordMatcher.Build(withWhitelist.Lexicon with { Whitelist = [] });
        var messages = DemoShopData.CustomerMessages;

        var flaggedWith = messages.Count(m => withWhitelist.FindHits(m.Text).Count > 0);
        var flaggedWithout = messages.Count(m => without.FindHits(m.Text).Count > 0);

        output.WriteLine($"flagged with whitelist {flaggedWith}, without {flaggedWithout} of {messages.Count}");
        flaggedWithout.ShouldBeGreaterThan(flaggedWith);
    }

    [Fact]
    public void PlantedVariantsOfListedWords_AreFound()
    {
        var matcher = SharedLexicons.Build(out var wordsByCategory);
        var whitelist = matcher.Lexicon.Whitelist.Select(w => w.Text).ToHashSet(StringComparer.Ordinal);
        var variants = new (string Name, Func<string, string> Make)[]
        {
            ("plain", w => w),
            ("asterisks", w => Interleave(w, "*")),
            ("spaces", w => Interleave(w, " ")),
            ("full-width and ideographic space", w => Interleave(FullWidth(w), "\u3000")),
            ("upper case", w => w.ToUpperInvariant()),
            ("zero-width and emoji", w => Interleave(w, "\u200B😀")),
            ("stutter", w => w[..1] + w),
        };

        int total = 0, found = 0;
        var missedExamples = new List<string>();
        foreach (var (name, make) in variants)
        {
            int kindTotal = 0, kindFound = 0;
            foreach (var word in wordsByCategory.Values.SelectMany(w => w).Where(w => !whitelist.Contains(w)))
            {
                var variant = make(word);
                var text = $"我想说{variant}这件事";
                kindTotal++;
                var start = text.IndexOf(variant, StringComparison.Ordinal);
                if (matcher.FindHits(text).Any(h => h.Start >= start && h.Start + h.Length <= start + variant.Length))
                    kindFound++;
                else if (missedExamples.Count < 15)
                    missedExamples.Add($"{name}: {variant}");
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recall {name}: {kindFound}/{kindTotal} = {(double)kindFound / kindTotal:P1}"));
            total += kindTotal;
            found += kindFound;
        }
        var recall = (double)found / total;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recall over {total} planted variants: {recall:P2}"));
        missedExamples.ForEach(m => output.WriteLine("  missed " + m));

        recall.ShouldBeGreaterThanOrEqualTo(0.99);
    }

    [Fact]
    public void StreamedReplyEchoingABlockedWord_NeverReleasesIt()
    {
        var matcher = SharedLexicons.Build(out var wordsByCategory);
        var whitelist = matcher.Lexicon.Whitelist.Select(w => w.Text).ToHashSet(StringComparer.Ordinal);
        var blockedWords = wordsByCategory["abuse"].Concat(wordsByCategory["violence"]).Where(w => !whitelist.Contains(w)).ToList();

        foreach (var word in blockedWords)
        {
            // The model streams one character at a time, with a separator inside the word for good measure.
            var reply = "亲，您说的" + Interleave(word, " ") + "我们不能提供。";
            var filter = matcher.BeginStream();
            var released = new StringBuilder();
            foreach (var rune in reply.EnumerateRunes())
                released.Append(filter.Push(rune.ToString()).Released);
            released.Append(filter.Complete().Released);

            filter.IsBlocked.ShouldBeTrue(word);
            released.ToString().ShouldBe("亲，您说的", word);
        }
        output.WriteLine($"{blockedWords.Count} blocked words streamed character by character: none released");
    }

    private static string Interleave(string word, string separator)
    {
        var runes = word.EnumerateRunes().Select(r => r.ToString());
        return string.Join(separator, runes);
    }

    private static string FullWidth(string word)
    {
        var builder = new StringBuilder(word.Length);
        foreach (var c in word)
            builder.Append(c is >= '!' and <= '~' ? (char)(c + 0xFEE0) : c);
        return builder.ToString();
    }
}
