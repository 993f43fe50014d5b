using Kefu.Safety.Escalation;

namespace Kefu.Safety.Tests.Escalation;

public sealed class ComplexityScorerTests
{
    private readonly ComplexityScorer _scorer = new();

    [Theory]
    [InlineData("退货运费谁出？")]
    [InlineData("我的订单ORD12345到哪了")]
    [InlineData("还有货吗？")]
    [InlineData("你好，我想问一下怎么退货？")]
    public void SingleQuestion_IsNotEscalated(string message)
    {
        var score = _scorer.Score(new ComplexitySignals(message, RetrievalConfidence: 0.8));

        score.ShouldEscalate.ShouldBeFalse();
        score.Value.ShouldBeLessThan(0.3);
    }

    [Fact]
    public void SeveralQuestionsWithConnectives_AreEscalated()
    {
        var score = _scorer.Score(new ComplexitySignals("退货运费谁出？另外发票怎么开？还有，会员积分什么时候过期？"));

        score.ShouldEscalate.ShouldBeTrue();
        score.Reasons.Select(r => r.Code).ShouldContain("questions");
        score.Reasons.Select(r => r.Code).ShouldContain("connectives");
    }

    [Fact]
    public void QuestionsWithoutQuestionMarks_AreCountedByInterrogatives()
    {
        ComplexityScorer.CountQuestions("请问退货运费谁出，多久能到账，发票怎么开").ShouldBe(3);
    }

    [Fact]
    public void LowRetrievalConfidence_Adds()
    {
        var high = _scorer.Score(new ComplexitySignals("这个锅能用在电磁炉上吗", RetrievalConfidence: 0.9));
        var low = _scorer.Score(new ComplexitySignals("这个锅能用在电磁炉上吗", RetrievalConfidence: 0.1));

        (low.Value - high.Value).ShouldBe(new ComplexityOptions().LowRetrieval, 1e-9);
        low.Reasons.ShouldContain(r => r.Code == "low_retrieval");
    }

    [Fact]
    public void RepeatedFailures_AloneReachTheThreshold()
    {
        var score = _scorer.Score(new ComplexitySignals("那到底能不能用", RecentFailures: 2));

        score.ShouldEscalate.ShouldBeTrue();
        score.Reasons.ShouldHaveSingleItem().Code.ShouldBe("recent_failures");
    }

    [Fact]
    public void SeveralOrderNumbers_CountAsSeveralParts()
    {
        var score = _scorer.Score(new ComplexitySignals("ORD12345和ORD12347都查一下"));

        score.Reasons.ShouldContain(r => r.Code == "identifiers");
    }

    [Fact]
    public void Score_IsClampedAndItsReasonsAddUp()
    {
        var score = _scorer.Score(new ComplexitySignals(
            "退货运费谁出？另外发票怎么开？还有积分呢？以及会员怎么升级？顺便问下顺丰多少钱？" + new string('啊', 80),
            RetrievalConfidence: 0.05, RecentFailures: 5));

        score.Value.ShouldBe(1);
        score.Reasons.Where(r => r.Code is "questions" or "connectives" or "identifiers").Sum(r => r.Contribution)
            .ShouldBe(new ComplexityOptions().MultiPartCap, 1e-9);
    }
}
