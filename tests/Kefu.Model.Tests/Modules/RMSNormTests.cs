using Kefu.Model.Modules;
using static TorchSharp.torch;

namespace Kefu.Model.Tests.Modules;

public sealed class RMSNormTests
{
    [Fact]
    public void Forward_OfKnownVector_GivesWeightTimesXOverRootMeanSquare()
    {
        using var norm = new RMSNorm(4, eps: 1e-6, ScalarType.Float32, CPU);
        using var scope = NewDisposeScope();
        using (no_grad())
            norm.weight.copy_(tensor(new float[] { 1f, 2f, 0.5f, -1f }));

        var output = norm.call(tensor(new float[] { 1f, 2f, 3f, 4f }, [1, 4])).data<float>().ToArray();

        // mean(x²) = 7.5, so x / √7.5 · w.
        var rms = Math.Sqrt(7.5 + 1e-6);
        output.Select(v => (double)v).ShouldBe(new[] { 1 / rms, 4 / rms, 1.5 / rms, -4 / rms }, tolerance: 1e-6);
    }

    [Fact]
    public void Forward_InBFloat16_ComputesInFloat32AndReturnsBFloat16()
    {
        using var norm = new RMSNorm(3, eps: 1e-6, ScalarType.BFloat16, CPU);
        using var scope = NewDisposeScope();
        using (no_grad())
            norm.weight.fill_(1);

        // Squares of 300 overflow nothing in float32, and the result is the unit-RMS vector.
        var output = norm.call(tensor(new float[] { 300f, -300f, 300f }, [1, 3]).to(ScalarType.BFloat16));

        output.dtype.ShouldBe(ScalarType.BFloat16);
        output.to(ScalarType.Float32).data<float>().ToArray().ShouldBe(new[] { 1f, -1f, 1f }, tolerance: 1e-2);
    }
}
