using Kefu.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Kefu.Model.Tests.Runtime;

/// <summary>
/// Proves the native libtorch loads on this machine (on Debian 12 only after the build's libstdc++ patch) and that
/// the basic arithmetic every later stage stands on is right.
/// </summary>
public sealed class TorchSharpLoadsTests
{
    [Fact]
    public void Matmul_OfKnownMatrices_GivesTheHandComputedProduct()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var b = tensor(new float[] { 7, 8, 9, 10, 11, 12 }, 3, 2);

        var product = a.matmul(b).data<float>().ToArray();

        product.ShouldBe(new float[] { 58, 64, 139, 154 });
    }

    [Fact]
    public void Autograd_OfSumOfSquares_GivesTwiceTheInput()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1.5f, -2f, 3f }, requires_grad: true);

        (x * x).sum().backward();

        x.grad!.data<float>().ToArray().ShouldBe(new float[] { 3f, -4f, 6f });
    }

    [Fact]
    public void BFloat16_RandomMatmul_AgreesWithFloat32WithinBf16Precision()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var a = randn(16, 32);
        var b = randn(32, 8);

        var exact = a.matmul(b);
        var approx = a.to(ScalarType.BFloat16).matmul(b.to(ScalarType.BFloat16)).to(ScalarType.Float32);

        var relative = ((exact - approx).abs().max() / exact.abs().max()).item<float>();
        relative.ShouldBeLessThan(0.05f);
    }

    [Fact]
    public void Parse_Cpu_ReturnsCpuDevice_AndUnknownNamesAreRejected()
    {
        TorchDevice.Parse("cpu").type.ShouldBe(DeviceType.CPU);
        Should.Throw<ArgumentException>(() => TorchDevice.Parse("tpu")).Message.ShouldContain("tpu");
    }
}
