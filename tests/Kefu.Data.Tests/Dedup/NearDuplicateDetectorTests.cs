using Kefu.Data.Dedup;

namespace Kefu.Data.Tests.Dedup;

public sealed class NearDuplicateDetectorTests
{
    private readonly NearDuplicateDetector _detector = new(0.8);

    [Fact]
    public void FindPairs_ChineseTextsDifferingOnlyInPunctuationWidth_AreNearDuplicates()
    {
        string[] texts = ["请问你们每天几点发货？今天下单今天能发吗？", "满59元包邮吗？新疆可以包邮吗？", "请问你们每天几点发货?今天下单今天能发吗?"];

        var pair = _detector.FindPairs(texts).ShouldHaveSingleItem();

        (pair.First, pair.Second).ShouldBe((0, 2));
        pair.Jaccard.ShouldBe(1.0);
    }

    [Fact]
    public void FindPairs_OneCharacterChangedInALongText_IsStillANearDuplicate()
    {
        string[] texts = ["七天无理由退货从签收次日开始计算，商品需要未使用、吊牌完好、不影响二次销售。", "七天无理由退货从签收次日开始计算，商品需要未使用、吊牌完整、不影响二次销售。"];

        _detector.FindPairs(texts).ShouldHaveSingleItem().Jaccard.ShouldBeGreaterThan(0.8);
    }

    [Fact]
    public void FindPairs_DifferentQuestionsOnOneTopic_AreNotDuplicates()
    {
        string[] texts = ["退货运费谁出？", "退货要多久才能退款？", "退货地址在哪里？"];

        _detector.FindPairs(texts).ShouldBeEmpty();
    }

    [Fact]
    public void FindMatches_EvalQuestionCopiedFromTraining_IsLeakage()
    {
        string[] train = ["发票怎么开？确认收货后可以申请吗？", "会员积分什么时候过期？"];
        string[] eval = ["会员积分什么时候过期", "可以用花呗分期吗？"];

        var match = _detector.FindMatches(train, eval).ShouldHaveSingleItem();

        (match.First, match.Second).ShouldBe((1, 0));
    }

    [Fact]
    public void Constructor_ThresholdPointEight_CatchesPairsAtTheThresholdAlmostSurely()
    {
        NearDuplicateDetector.CandidateProbability(0.8, _detector.Bands, _detector.Rows).ShouldBeGreaterThan(0.999);
        NearDuplicateDetector.CandidateProbability(0.3, _detector.Bands, _detector.Rows).ShouldBeLessThan(0.2);
    }

    [Fact]
    public void Normalizer_FoldsWidthCaseAndPunctuation() =>
        SimilarityNormalizer.Normalize("ＯＲＤ１２３４５，Hello！").ShouldBe("ord12345hello");
}
