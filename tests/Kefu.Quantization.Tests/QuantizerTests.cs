using static TorchSharp.torch;

namespace Kefu.Quantization.Tests;

public sealed class QuantizerTests
{
    private static readonly QuantizationScheme Groups32 = new() { GroupSize = 32, BlockSize = 32 };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rtn_DequantisedWeights_AreWithinHalfAScaleOfTheOriginal(bool symmetric)
    {
        using var generator = new Generator(11);
        using var weight = randn([16, 96], generator: generator);
        var scheme = Groups32 with { Symmetric = symmetric };

        using var quantized = RoundToNearest.Quantize(weight, scheme);
        using var dequantized = quantized.Dequantize();
        using var scale = quantized.Scales.index_select(1, quantized.GroupIndex.to(ScalarType.Int64));

        quantized.Codes.max().item<byte>().ShouldBeLessThanOrEqualTo((byte)15);
        using var excess = (dequantized - weight).abs() - scale / 2;
        excess.max().item<float>().ShouldBeLessThanOrEqualTo(1e-5f);
        if (symmetric)
            quantized.Zeros.eq(8).all().item<bool>().ShouldBeTrue();
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Gptq_OnCorrelatedCalibrationData_HasLowerOutputErrorThanRtn(bool actOrder, bool symmetric)
    {
        var (weight, inputs) = LayerWithCorrelatedInputs(seed: 5);
        using var _ = weight;
        using var __ = inputs;
        using var hessian = inputs.t().matmul(inputs) * (2.0 / inputs.shape[0]);
        var scheme = Groups32 with { ActOrder = actOrder, Symmetric = symmetric };

        using var gptq = Gptq.Quantize(weight, hessian, scheme);
        using var rtn = RoundToNearest.Quantize(weight, scheme);

        var gptqError = OutputError(inputs, weight, gptq);
        var rtnError = OutputError(inputs, weight, rtn);
        gptqError.ShouldBeLessThan(rtnError * 0.9, $"GPTQ {gptqError:G4} vs RTN {rtnError:G4}");
    }

    [Fact]
    public void Gptq_WithActOrder_GroupIndexAssignsEachGroupExactlyGroupSizeColumns()
    {
        var (weight, inputs) = LayerWithCorrelatedInputs(seed: 9);
        using var _ = weight;
        using var __ = inputs;
        using var hessian = inputs.t().matmul(inputs);

        using var quantized = Gptq.Quantize(weight, hessian, Groups32 with { ActOrder = true });

        var groups = quantized.GroupIndex.data<int>().ToArray();
        groups.GroupBy(g => g).Select(g => g.Count()).ShouldAllBe(c => c == 32);
        groups.ShouldNotBe(groups.Order().ToArray(), "act-order should permute columns across groups");
        // Every dequantised value is a code of its group's grid: scale · (code − zero).
        using var dequantized = quantized.Dequantize();
        dequantized.isfinite().all().item<bool>().ShouldBeTrue();
    }

    [Fact]
    public void Gptq_DeadInputColumn_IsQuantizedToZero()
    {
        var (weight, inputs) = LayerWithCorrelatedInputs(seed: 3);
        using var _ = weight;
        using var __ = inputs;
        inputs.select(1, 5).zero_();
        using var hessian = inputs.t().matmul(inputs);

        using var quantized = Gptq.Quantize(weight, hessian, Groups32);
        using var dequantized = quantized.Dequantize();

        dequantized.select(1, 5).abs().max().item<float>().ShouldBeLessThan(1e-6f);
    }

    /// <summary>A [24, 64] weight and 256 inputs whose features are strongly correlated (low-rank plus noise), as activations are.</summary>
    internal static (Tensor Weight, Tensor Inputs) LayerWithCorrelatedInputs(int seed)
    {
        using var generator = new Generator((ulong)seed);
        var weight = randn([24, 64], generator: generator);
        using var basis = randn([8, 64], generator: generator);
        using var mix = randn([256, 8], generator: generator);
        using var noise = randn([256, 64], generator: generator);
        using var scaleColumns = rand([64], generator: generator) * 3 + 0.1;
        var inputs = (mix.matmul(basis) + noise * 0.1) * scaleColumns;
        return (weight, inputs);
    }

    private static double OutputError(Tensor inputs, Tensor weight, QuantizedWeight quantized)
    {
        using var scope = NewDisposeScope();
        var dequantized = quantized.Dequantize();
        return (inputs.matmul(weight.t()) - inputs.matmul(dequantized.t())).pow(2).sum().item<float>();
    }
}
