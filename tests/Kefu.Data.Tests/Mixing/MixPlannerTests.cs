using Kefu.Data.Mixing;
using Kefu.Data.Records;

namespace Kefu.Data.Tests.Mixing;

public sealed class MixPlannerTests
{
    [Fact]
    public void Plan_EnoughOfEverything_HitsTheRatioAtTheMaximumSize()
    {
        var plan = MixPlanner.Plan(TestRecords.Make(400, 200, 100), MixRatio.Default, new SizeRange(200, 500), seed: 1);

        plan.Total.ShouldBe(500);
        plan.Categories.Select(c => c.Selected).ShouldBe([300, 150, 50]);
        plan.MaxDeviationPoints.ShouldBe(0, 1e-9);
        plan.Warnings.ShouldBeEmpty();
        plan.Actions.ShouldContain(a => a.Contains("down-sampled 400 → 300", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_ExceptionsLimitTheExactRatio_KeepsTheRatioWhileTheMinimumSizeIsMet()
    {
        var plan = MixPlanner.Plan(TestRecords.Make(400, 200, 30), MixRatio.Default, new SizeRange(200, 500), seed: 1);

        plan.Categories.Select(c => c.Selected).ShouldBe([180, 90, 30]);
        plan.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Plan_ShortCategoryBelowMinimumSize_TakesAllOfItFillsTheRestAndWarns()
    {
        var plan = MixPlanner.Plan(TestRecords.Make(300, 100, 10), MixRatio.Default, new SizeRange(200, 500), seed: 1);

        plan.Total.ShouldBe(200);
        var exception = plan.Categories.Single(c => c.Category == DataCategory.Exception);
        exception.Selected.ShouldBe(10);
        exception.Wanted.ShouldBe(20);
        plan.Categories.Sum(c => c.Selected).ShouldBe(200);
        plan.Categories.Single(c => c.Category == DataCategory.Knowledge).Selected.ShouldBe(127);
        plan.Warnings.ShouldContain(w => w.Contains("exception is short", StringComparison.Ordinal));
        plan.MaxDeviationPoints.ShouldBe(5, 0.01);
    }

    [Fact]
    public void Plan_TooFewRecordsInAll_NeverUpSamples()
    {
        var records = TestRecords.Make(20, 10, 5);

        var plan = MixPlanner.Plan(records, MixRatio.Default, new SizeRange(200, 500), seed: 1);

        plan.Total.ShouldBe(35);
        plan.Selected.Distinct().Count().ShouldBe(35);
        plan.Warnings.ShouldContain(w => w.Contains("below the minimum size", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_SameSeed_SelectsTheSameRecords_OtherSeedOthers()
    {
        var records = TestRecords.Make(400, 200, 100);

        var a = MixPlanner.Plan(records, MixRatio.Default, SizeRange.Default, 7).Selected.Select(r => r.Id);
        var b = MixPlanner.Plan(records, MixRatio.Default, SizeRange.Default, 7).Selected.Select(r => r.Id);
        var c = MixPlanner.Plan(records, MixRatio.Default, SizeRange.Default, 8).Selected.Select(r => r.Id);

        a.ShouldBe(b);
        a.ShouldNotBe(c);
    }

    [Theory]
    [InlineData("60:30:10", 0.6, 0.3, 0.1)]
    [InlineData("6:3:1", 0.6, 0.3, 0.1)]
    [InlineData("1:1:0", 0.5, 0.5, 0)]
    public void MixRatio_TryParse_NormalisesShares(string text, double k, double d, double e)
    {
        MixRatio.TryParse(text, out var ratio, out _).ShouldBeTrue();
        ratio.Knowledge.ShouldBe(k, 1e-9);
        ratio.Dialogue.ShouldBe(d, 1e-9);
        ratio.Exception.ShouldBe(e, 1e-9);
    }

    [Theory]
    [InlineData("60:40")]
    [InlineData("a:b:c")]
    [InlineData("0:0:0")]
    [InlineData("-1:1:1")]
    public void MixRatio_TryParse_RejectsMalformedMixes(string text) =>
        MixRatio.TryParse(text, out _, out var error).ShouldBeFalse(error);

    [Theory]
    [InlineData("200-500", 200, 500)]
    [InlineData("300", 300, 300)]
    public void SizeRange_TryParse_ReadsRangesAndSingleNumbers(string text, int min, int max)
    {
        SizeRange.TryParse(text, out var size, out _).ShouldBeTrue();
        size.ShouldBe(new SizeRange(min, max));
    }

    [Theory]
    [InlineData("500-200")]
    [InlineData("0")]
    [InlineData("lots")]
    public void SizeRange_TryParse_RejectsBadSizes(string text) => SizeRange.TryParse(text, out _, out _).ShouldBeFalse();
}
