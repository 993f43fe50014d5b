using Kefu.Model.Generation;
using static TorchSharp.torch;

namespace Kefu.Model.Tests.Generation;

public sealed class LogitsSamplerTests
{
    [Fact]
    public void RepetitionPenalty_DividesPositiveAndMultipliesNegativeLogitsOfSeenTokens()
    {
        using var scope = NewDisposeScope();
        var scores = tensor(new float[] { 2f, -2f, 3f, 1f }, [1, 4]);
        var history = tensor(new long[] { 0, 1, 1 }, [1, 3]);

        var penalised = LogitsSampler.PenaliseRepetition(scores, history, 2.0).data<float>().ToArray();

        penalised.ShouldBe([1f, -4f, 3f, 1f]);
    }

    [Fact]
    public void KeepTopK_LeavesTheKLargest()
    {
        using var scope = NewDisposeScope();
        var kept = LogitsSampler.KeepTopK(tensor(new float[] { 1f, 5f, 3f, 4f }, [1, 4]), 2).data<float>().ToArray();

        kept.ShouldBe([float.NegativeInfinity, 5f, float.NegativeInfinity, 4f]);
    }

    [Fact]
    public void KeepTopP_KeepsTheSmallestSetReachingP()
    {
        using var scope = NewDisposeScope();
        // Probabilities 0.5, 0.3, 0.15, 0.05 (as logs); p = 0.7 needs the first two, p = 0.85 the first three.
        var scores = tensor(new[] { 0.5, 0.3, 0.15, 0.05 }.Select(p => (float)Math.Log(p)).ToArray(), [1, 4]);

        var seventy = LogitsSampler.KeepTopP(scores, 0.7).data<float>().ToArray();
        var eightyFive = LogitsSampler.KeepTopP(scores, 0.85).data<float>().ToArray();

        seventy.Count(float.IsFinite).ShouldBe(2);
        float.IsFinite(seventy[0]).ShouldBeTrue();
        float.IsFinite(seventy[1]).ShouldBeTrue();
        eightyFive.Count(float.IsFinite).ShouldBe(3);
    }

    [Fact]
    public void Next_Sampling_FollowsTheSoftmaxOfLogitsOverTemperature()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(99);
        // Two tokens with logits 0 and ln 3 at temperature 1: probabilities 1/4 and 3/4.
        var logits = tensor(new float[] { 0f, (float)Math.Log(3) }, [1, 2]).expand(4000, 2).contiguous();

        var picks = LogitsSampler.Next(logits, new GenerationOptions { Temperature = 1.0 }, null, generator);

        var share = picks.to(ScalarType.Float32).mean().item<float>();
        share.ShouldBe(0.75f, tolerance: 0.03f);
    }

    [Fact]
    public void Next_Greedy_TakesTheArgMaxOfEachRow()
    {
        using var scope = NewDisposeScope();
        var picks = LogitsSampler.Next(tensor(new float[] { 1f, 3f, 2f, 9f, 0f, 1f }, [2, 3]), GenerationOptions.Greedy, null, null);

        picks.data<long>().ToArray().ShouldBe([1L, 0L]);
    }
}
