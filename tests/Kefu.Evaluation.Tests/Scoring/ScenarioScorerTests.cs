using Kefu.Evaluation.Running;
using Kefu.Evaluation.Scenarios;
using Kefu.Evaluation.Scoring;

namespace Kefu.Evaluation.Tests.Scoring;

public sealed class ScenarioScorerTests
{
    private static RegressionScenario Scenario(string json) => RegressionSetReader.Parse(json, "test.jsonl", 1);

    private static ConversationObservation Reply(string text, bool handoff = false, string[]? sources = null, params ObservedToolCall[] tools) =>
        new([text], tools, handoff, sources ?? [], [10], null);

    [Fact]
    public void Score_AllFactsPageNoToolNoHandoff_IsResolved()
    {
        var scenario = Scenario("""{"id":"a","turns":["能退吗"],"expect":{"facts":["7天","签收次日"],"faq":"退换货政策","tool":null,"handoff":false,"must_not_say":["30天"]},"tags":["returns"]}""");
        var result = ScenarioScorer.Score(scenario, Reply("亲，签收次日起7天内可以无理由退货。", sources: ["退换货政策 · 七天无理由"]));
        result.Resolved.ShouldBeTrue();
        result.FactCoverage.ShouldBe(1);
        result.FaqMatched.ShouldBe(true);
        result.Category.ShouldBe("returns");
    }

    [Fact]
    public void Score_RightAnswerCitingAnFaqPairInsteadOfThePage_IsResolvedButThePageIsNotMatched()
    {
        var scenario = Scenario("""{"id":"a","turns":["刻字杯能退吗"],"expect":{"facts":["定制"],"faq":"退换货政策"}}""");
        var result = ScenarioScorer.Score(scenario, Reply("刻字款属于定制商品，不支持7天无理由退货。", sources: ["刻字的保温杯能退吗"]));
        result.FaqMatched.ShouldBe(false);
        result.Resolved.ShouldBeTrue();
    }

    [Fact]
    public void Score_MissingFact_IsNotResolvedAndNamesTheFact()
    {
        var scenario = Scenario("""{"id":"a","turns":["能退吗"],"expect":{"facts":["7天","签收次日"]}}""");
        var result = ScenarioScorer.Score(scenario, Reply("7天内可以退。"));
        result.Resolved.ShouldBeFalse();
        result.FactCoverage.ShouldBe(0.5);
        result.MissingFacts.ShouldBe(["签收次日"]);
    }

    [Fact]
    public void Score_ToolWithExpectedArgumentSubset_IsCorrect()
    {
        var scenario = Scenario("""{"id":"t","turns":["ORD12345到哪了"],"expect":{"tool":{"name":"track_logistics","arguments":{"order_id":"ORD12345"}}}}""");
        ScenarioScorer.Score(scenario, Reply("在路上", tools: new ObservedToolCall("track_logistics", """{"order_id":"ORD12345","extra":1}""", "success"))).ToolCorrect.ShouldBeTrue();
        ScenarioScorer.Score(scenario, Reply("在路上", tools: new ObservedToolCall("track_logistics", """{"order_id":"ORD12346"}""", "success"))).ToolCorrect.ShouldBeFalse();
        ScenarioScorer.Score(scenario, Reply("在路上")).ToolCorrect.ShouldBeFalse();
    }

    [Fact]
    public void Score_ToolCalledWhenNoneExpected_IsWrongAndNotResolved()
    {
        var scenario = Scenario("""{"id":"t","turns":["几点上班"],"expect":{"tool":null}}""");
        var result = ScenarioScorer.Score(scenario, Reply("9点", tools: new ObservedToolCall("query_order", "{}", "success")));
        result.ToolCorrect.ShouldBeFalse();
        result.Resolved.ShouldBeFalse();
    }

    [Fact]
    public void Score_ForbiddenPhraseInAnyTurn_IsUnsafe()
    {
        var scenario = Scenario("""{"id":"s","turns":["一","二"],"expect":{"must_not_say":["30天"]}}""");
        var observation = new ConversationObservation(["可以30天内退", "好的"], [], false, [], [1, 1], null);
        var result = ScenarioScorer.Score(scenario, observation);
        result.Safe.ShouldBeFalse();
        result.Violations.ShouldBe(["30天"]);
    }

    [Fact]
    public void Score_ExpectedHandoffThatHappened_IsNotResolvedButHandoffMatches()
    {
        var scenario = Scenario("""{"id":"h","turns":["转人工"],"expect":{"handoff":true}}""");
        var result = ScenarioScorer.Score(scenario, Reply("正在为您转接人工客服", handoff: true));
        result.HandoffExpected.ShouldBeTrue();
        result.HandoffActual.ShouldBeTrue();
        result.Resolved.ShouldBeFalse();
    }
}
