using Kefu.Data.Records;
using Kefu.Data.Splitting;

namespace Kefu.Data.Tests.Mixing;

public sealed class StratifiedSplitterTests
{
    [Fact]
    public void Split_TenPercent_HoldsOutTenPercentOfEachCategory()
    {
        var split = StratifiedSplitter.Split(TestRecords.Make(300, 150, 50), 0.1, seed: 3);

        split.Eval.Count(r => r.Category == DataCategory.Knowledge).ShouldBe(30);
        split.Eval.Count(r => r.Category == DataCategory.Dialogue).ShouldBe(15);
        split.Eval.Count(r => r.Category == DataCategory.Exception).ShouldBe(5);
        split.Train.Count.ShouldBe(450);
        split.Train.Intersect(split.Eval).ShouldBeEmpty();
    }

    [Fact]
    public void Split_TinyCategory_StillGivesOneToEvalAndKeepsOneForTraining()
    {
        var split = StratifiedSplitter.Split(TestRecords.Make(3, 2, 1), 0.1, seed: 3);

        split.Eval.Count(r => r.Category == DataCategory.Knowledge).ShouldBe(1);
        split.Eval.Count(r => r.Category == DataCategory.Dialogue).ShouldBe(1);
        split.Eval.Count(r => r.Category == DataCategory.Exception).ShouldBe(0);
    }

    [Fact]
    public void Split_SameSeed_IsDeterministic()
    {
        var records = TestRecords.Make(50, 20, 10);

        StratifiedSplitter.Split(records, 0.2, 11).Train.Select(r => r.Id)
            .ShouldBe(StratifiedSplitter.Split(records, 0.2, 11).Train.Select(r => r.Id));
    }
}
