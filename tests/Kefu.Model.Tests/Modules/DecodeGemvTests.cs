using Kefu.Model.Modules;
using static TorchSharp.torch;

namespace Kefu.Model.Tests.Modules;

/// <summary>The decode matrix-vector kernel must give libtorch's answer, tails and biases included.</summary>
public sealed class DecodeGemvTests
{
    [Theory]
    [InlineData(1, 100, 37, true)]
    [InlineData(3, 896, 130, false)]
    [InlineData(8, 64, 2000, true)]
    public void Float32_MatchesLibtorchLinear(int rows, int inFeatures, int outFeatures, bool withBias)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = randn(rows, 1, inFeatures);
        var weight = randn(outFeatures, inFeatures);
        var bias = withBias ? randn(outFeatures) : null;

        var fast = DenseLinear.Apply(input, weight, bias);

        fast.shape.ShouldBe([(long)rows, 1, outFeatures]);
        TinyModels.MaxDifference(fast, nn.functional.linear(input, weight, bias)).ShouldBeLessThan(1e-4);
    }

    [Theory]
    [InlineData(1, 100, 37)]
    [InlineData(2, 896, 300)]
    public void BFloat16_MatchesLibtorchWithinBFloat16Rounding(int rows, int inFeatures, int outFeatures)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = randn(rows, inFeatures).to(ScalarType.BFloat16);
        var weight = randn(outFeatures, inFeatures).to(ScalarType.BFloat16);
        var bias = randn(outFeatures).to(ScalarType.BFloat16);

        var fast = DenseLinear.Apply(input, weight, bias);

        fast.dtype.ShouldBe(ScalarType.BFloat16);
        // Exact products summed in float32, then one rounding to bfloat16: within half a bfloat16 step of the truth.
        var exact = nn.functional.linear(input.to(ScalarType.Float32), weight.to(ScalarType.Float32), bias.to(ScalarType.Float32));
        var step = exact.abs() / 128 + 1e-3;
        (fast.to(ScalarType.Float32) - exact).abs().le(step).all().item<bool>().ShouldBeTrue();
    }

    [Fact]
    public void WithAutogradOn_LibtorchRuns_SoGradientsFlow()
    {
        using var scope = NewDisposeScope();
        var input = randn(1, 16, requires_grad: true);
        var weight = randn(8, 16);

        var output = DenseLinear.Apply(input, weight);
        output.sum().backward();

        input.grad.ShouldNotBeNull();
        TinyModels.MaxDifference(input.grad, weight.sum(0L).unsqueeze(0)).ShouldBeLessThan(1e-5);
    }
}
