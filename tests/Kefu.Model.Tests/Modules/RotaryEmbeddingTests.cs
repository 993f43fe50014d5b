using Kefu.Model.Modules;
using static TorchSharp.torch;

namespace Kefu.Model.Tests.Modules;

public sealed class RotaryEmbeddingTests
{
    [Fact]
    public void Forward_GivesCosAndSinOfPositionTimesThetaToTheMinusTwoIOverD()
    {
        using var rotary = new RotaryEmbedding(headDim: 4, theta: 100.0);
        using var scope = NewDisposeScope();

        var (cos, sin) = rotary.forward(tensor(new long[] { 0, 3 }, [1, 2]), ScalarType.Float32);

        // Frequencies for d = 4: 100^0 = 1 and 100^(-2/4) = 0.1, repeated over the two halves.
        double[] frequencies = [1.0, 0.1, 1.0, 0.1];
        cos.shape.ShouldBe([1L, 2, 4]);
        cos[0, 0].data<float>().ToArray().ShouldBe([1f, 1f, 1f, 1f]);
        cos[0, 1].data<float>().ToArray().Select(v => (double)v).ShouldBe(frequencies.Select(f => Math.Cos(3 * f)), tolerance: 1e-6);
        sin[0, 1].data<float>().ToArray().Select(v => (double)v).ShouldBe(frequencies.Select(f => Math.Sin(3 * f)), tolerance: 1e-6);
    }

    [Fact]
    public void Apply_RotatesEachPairOfHalvesByItsAngle()
    {
        using var rotary = new RotaryEmbedding(headDim: 4, theta: 100.0);
        using var scope = NewDisposeScope();
        var (cos, sin) = rotary.forward(tensor(new long[] { 2 }, [1, 1]), ScalarType.Float32);
        var x = tensor(new float[] { 1f, 2f, 3f, 4f }, [1, 1, 1, 4]);

        var rotated = RotaryEmbedding.Apply(x, cos, sin).data<float>().ToArray();

        // Pairs (x0, x2) and (x1, x3) rotate by angles 2·1 and 2·0.1.
        var (a, b) = (2.0, 0.2);
        double[] expected =
        [
            1 * Math.Cos(a) - 3 * Math.Sin(a),
            2 * Math.Cos(b) - 4 * Math.Sin(b),
            3 * Math.Cos(a) + 1 * Math.Sin(a),
            4 * Math.Cos(b) + 2 * Math.Sin(b),
        ];
        rotated.Select(v => (double)v).ShouldBe(expected, tolerance: 1e-5);
    }
}
