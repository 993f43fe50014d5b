using Kefu.Service.Knowledge;

namespace Kefu.Service.Tests.Knowledge;

public sealed class ReciprocalRankFusionTests
{
    [Fact]
    public void Fuse_HandMadeRankings_OrdersBySummedReciprocalRanksWithK60()
    {
        // BM25: 1, 2, 3; dense: 3, 1, 4. Scores: 1 → 1/61 + 1/62, 3 → 1/63 + 1/61, 2 → 1/62, 4 → 1/63.
        long[] bm25 = [1, 2, 3];
        long[] dense = [3, 1, 4];

        var fused = ReciprocalRankFusion.Fuse(bm25, dense);
        var scores = ReciprocalRankFusion.Scores(bm25, dense);

        fused.ShouldBe([1L, 3L, 2L, 4L]);
        scores[1].ShouldBe((1.0 / 61) + (1.0 / 62), 1e-12);
        scores[3].ShouldBe((1.0 / 63) + (1.0 / 61), 1e-12);
        scores[4].ShouldBe(1.0 / 63, 1e-12);
    }

    [Fact]
    public void Fuse_ItemFoundByBothRankingsLower_BeatsAnItemOnTopOfOneOnly()
    {
        // 9 tops BM25 only; 5 is second in both: 2/62 > 1/61, agreement wins, as RRF intends.
        var fused = ReciprocalRankFusion.Fuse([9, 5], [7, 5]);

        fused[0].ShouldBe(5);
    }

    [Fact]
    public void Fuse_TiedScores_GoToTheItemRankedHigherSomewhere()
    {
        var fused = ReciprocalRankFusion.Fuse([2, 1], [1, 2]);

        fused.ShouldBe([1L, 2L]);
    }
}
