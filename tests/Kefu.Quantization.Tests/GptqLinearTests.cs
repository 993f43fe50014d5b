using Kefu.Model.Quantization;
using static TorchSharp.torch;

namespace Kefu.Quantization.Tests;

public sealed class GptqLinearTests
{
    [Theory]
    [InlineData(ScalarType.Float32, 1)]
    [InlineData(ScalarType.Float32, 3)]
    [InlineData(ScalarType.BFloat16, 1)]
    public void Forward_DecodeRows_PackedKernelMatchesTheDequantisedProduct(ScalarType dtype, int rows)
    {
        using var layer = Layer(dtype, actOrder: false);
        using var generator = new Generator(17);
        using var x = randn([1, rows, 64], generator: generator).to(dtype);

        using var noGrad = no_grad();
        using var packed = layer.forward(x);
        using var weight = layer.Dequantize();
        using var dense = nn.functional.linear(x.to(ScalarType.Float32), weight.to(ScalarType.Float32), layer.bias!.to(ScalarType.Float32));

        packed.shape.ShouldBe([1L, rows, 48L]);
        packed.dtype.ShouldBe(dtype);
        var tolerance = dtype == ScalarType.BFloat16 ? 0.05f : 1e-4f;
        (packed.to(ScalarType.Float32) - dense).abs().max().item<float>().ShouldBeLessThan(tolerance * dense.abs().max().item<float>());
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    public void Forward_PrefillRows_GroupedDequantisationMatchesTheIndexedOne(ScalarType dtype)
    {
        using var layer = Layer(dtype, actOrder: false);
        using var generator = new Generator(23);
        using var x = randn([2, 40, 64], generator: generator).to(dtype); // beyond any decode kernel's row limit

        using var noGrad = no_grad();
        using var output = layer.forward(x);
        using var weight = layer.Dequantize(); // g_idx looked up per input feature: the general path
        using var expected = nn.functional.linear(x.to(ScalarType.Float32), weight.to(ScalarType.Float32), layer.bias!.to(ScalarType.Float32));

        output.shape.ShouldBe([2L, 40L, 48L]);
        output.dtype.ShouldBe(dtype);
        var tolerance = dtype == ScalarType.BFloat16 ? 0.05f : 1e-5f;
        (output.to(ScalarType.Float32) - expected).abs().max().item<float>().ShouldBeLessThan(tolerance * expected.abs().max().item<float>());
    }

    [Fact]
    public void Forward_ActOrderGroups_FallsBackToTheDenseProductWithTheSameResult()
    {
        using var layer = Layer(ScalarType.Float32, actOrder: true);
        using var generator = new Generator(5);
        using var x = randn([1, 1, 64], generator: generator);

        using var noGrad = no_grad();
        using var output = layer.forward(x);
        using var weight = layer.Dequantize();
        using var expected = nn.functional.linear(x, weight, layer.bias);

        (output - expected).abs().max().item<float>().ShouldBeLessThan(1e-4f);
    }

    /// <summary>A GPTQ layer [48 × 64] filled from a real quantization, group size 32, with a bias.</summary>
    private static GptqLinear Layer(ScalarType dtype, bool actOrder)
    {
        var (weight, inputs) = QuantizerTests.LayerWithCorrelatedInputs(seed: 2);
        using var _ = weight;
        using var __ = inputs;
        using var w = weight.narrow(0, 0, 16).repeat(3, 1);
        using var hessian = inputs.t().matmul(inputs);
        using var quantized = Gptq.Quantize(w, hessian, new QuantizationScheme { GroupSize = 32, BlockSize = 32, ActOrder = actOrder, Symmetric = false });
        var layer = new GptqLinear(64, 48, quantized.Groups, hasBias: true, dtype, CPU);
        using var noGrad = no_grad();
        using var qweight = GptqPacking.PackWeight(quantized.Codes);
        using var qzeros = GptqPacking.PackZeros(quantized.Zeros.t());
        layer.qweight.copy_(qweight);
        layer.qzeros.copy_(qzeros);
        layer.scales.copy_(quantized.Scales.t());
        layer.g_idx.copy_(quantized.GroupIndex);
        using var bias = linspace(-1, 1, 48);
        layer.bias!.copy_(bias);
        return layer;
    }
}
