using Kefu.Evaluation.Scoring;

namespace Kefu.Evaluation.Tests.Scoring;

public sealed class TextScoreTests
{
    [Fact]
    public void RougeL_IdenticalChineseText_IsOne() => CharRougeL.F1("七天无理由退货", "七天无理由退货").ShouldBe(1.0);

    [Fact]
    public void RougeL_OneSwappedPair_UsesLongestCommonSubsequence()
    {
        // LCS("甲乙丙丁", "甲丙乙丁") = 3 (甲乙丁 or 甲丙丁): P = R = 3/4.
        CharRougeL.F1("甲乙丙丁", "甲丙乙丁").ShouldBe(0.75, 1e-12);
    }

    [Fact]
    public void RougeL_PunctuationAndWidth_AreIgnored() => CharRougeL.F1("亲，７天内可退！", "亲7天内可退").ShouldBe(1.0);

    [Fact]
    public void RougeL_DisjointText_IsZero() => CharRougeL.F1("发票", "退款").ShouldBe(0.0);

    [Fact]
    public void Bleu_IdenticalText_IsOne() => CharBleu.Score("满59元包邮，新疆加15元", "满59元包邮，新疆加15元").ShouldBe(1.0, 1e-12);

    [Fact]
    public void Bleu_ShorterCandidate_IsPenalisedByBrevity()
    {
        var full = CharBleu.Score("满59元包邮", "满59元包邮");
        var half = CharBleu.Score("满59元", "满59元包邮");
        half.ShouldBeLessThan(full);
        // Every 1- to 4-gram of 满|5|9|元 is in the reference (smoothed precisions (n+1)/(n+1) = 1): only BP = e^(1−6/4) remains.
        var expected = Math.Exp(1 - 6.0 / 4);
        half.ShouldBe(expected, 1e-12);
    }

    [Fact]
    public void Bleu_PartialMatch_UsesSmoothedHigherOrderPrecisions()
    {
        // 满|5|9|元|包|退 vs 满|5|9|元|包|邮: unigrams 5/6, bigrams (4+1)/(5+1), trigrams (3+1)/(4+1), 4-grams (2+1)/(3+1); BP = 1.
        var expected = Math.Exp((Math.Log(5.0 / 6) + Math.Log(5.0 / 6) + Math.Log(4.0 / 5) + Math.Log(3.0 / 4)) / 4);
        CharBleu.Score("满59元包退", "满59元包邮").ShouldBe(expected, 1e-12);
    }

    [Fact]
    public void Bleu_NoSharedCharacter_IsZero() => CharBleu.Score("发票", "退款").ShouldBe(0.0);
}
