using Kefu.Model.Modules;
using static TorchSharp.torch;

namespace Kefu.Model.Tests.Modules;

/// <summary>
/// Self-consistency of the forward pass: the KV-cache path, the causal mask, batching with left padding and
/// bfloat16 must all agree with the plain float32 forward over the whole sequence.
/// </summary>
public sealed class ForwardConsistencyTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DecodeWithKvCache_EveryStep_MatchesTheFullForwardLogits(bool tied)
    {
        using var model = TinyModels.Create(tied);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(TinyModels.Ids(12, seed: 5), [1, 12]);
        var full = model.forward(ids);

        using var cache = KvCache.For(model.Config, 1, 12, ScalarType.Float32, CPU);
        var prefill = model.forward(ids.narrow(1, 0, 5), cache: cache);
        TinyModels.MaxDifference(prefill, full.narrow(1, 0, 5)).ShouldBeLessThan(1e-5);
        for (var step = 5; step < 12; step++)
        {
            var logits = model.forward(ids.narrow(1, step, 1), cache: cache);
            TinyModels.MaxDifference(logits, full.narrow(1, step, 1)).ShouldBeLessThan(1e-5, $"step {step}");
        }
        cache.Length.ShouldBe(12);
    }

    [Fact]
    public void ChangingAFutureToken_LeavesEarlierLogitsUnchanged_AndChangesLaterOnes()
    {
        using var model = TinyModels.Create();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var original = TinyModels.Ids(10, seed: 9);
        var changed = (long[])original.Clone();
        changed[6] = (changed[6] + 1) % 300;

        var a = model.forward(tensor(original, [1, 10]));
        var b = model.forward(tensor(changed, [1, 10]));

        TinyModels.MaxDifference(a.narrow(1, 0, 6), b.narrow(1, 0, 6)).ShouldBe(0.0);
        TinyModels.MaxDifference(a.narrow(1, 6, 4), b.narrow(1, 6, 4)).ShouldBeGreaterThan(1e-3);
    }

    [Fact]
    public void LeftPaddedBatch_GivesEachRowTheLogitsOfItsOwnUnbatchedForward()
    {
        using var model = TinyModels.Create();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var shortIds = TinyModels.Ids(4, seed: 1);
        var longIds = TinyModels.Ids(9, seed: 2);
        var padded = new long[18];
        Array.Copy(shortIds, 0, padded, 5, 4);
        Array.Copy(longIds, 0, padded, 9, 9);
        var isReal = tensor(Enumerable.Range(0, 18).Select(i => i % 9 >= 5 || i >= 9).ToArray(), [2, 9]);
        var positions = tensor(new long[] { 0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8 }, [2, 9]);

        var batched = model.forward(tensor(padded, [2, 9]), positions, isReal);

        var alone = model.forward(tensor(shortIds, [1, 4]));
        TinyModels.MaxDifference(batched[0].narrow(0, 5, 4), alone[0]).ShouldBeLessThan(1e-5);
        var longAlone = model.forward(tensor(longIds, [1, 9]));
        TinyModels.MaxDifference(batched[1], longAlone[0]).ShouldBeLessThan(1e-5);
    }

    [Fact]
    public void BFloat16Model_GivesLogitsCloseToFloat32()
    {
        using var exact = TinyModels.Create(dtype: ScalarType.Float32);
        using var approx = TinyModels.Create(dtype: ScalarType.BFloat16);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(TinyModels.Ids(10, seed: 3), [1, 10]);

        var reference = exact.forward(ids);
        var bf16 = approx.forward(ids).to(ScalarType.Float32);

        var scale = reference.abs().max().item<float>();
        (TinyModels.MaxDifference(reference, bf16) / scale).ShouldBeLessThan(0.08);
        // The arg-max of most positions survives bfloat16 rounding.
        var agree = reference.argmax(-1).eq(bf16.argmax(-1)).to(ScalarType.Float32).mean().item<float>();
        agree.ShouldBeGreaterThanOrEqualTo(0.8f);
    }
}
