using Kefu.Model.Quantization;
using static TorchSharp.torch;

namespace Kefu.Quantization.Tests;

public sealed class GptqPackingTests
{
    [Fact]
    public void PackWeight_EightCodesOfOneOutput_PutsTheFirstInputInTheLowestNibble()
    {
        // codes [out=1, in=8] = 0…7 → one int32 0x76543210, as AutoGPTQ's pack loop (qweight[row] |= w[j] << 4j).
        using var codes = tensor(new byte[] { 0, 1, 2, 3, 4, 5, 6, 7 }, [1, 8]);
        using var packed = GptqPacking.PackWeight(codes);

        packed.shape.ShouldBe([1L, 1L]);
        packed.dtype.ShouldBe(ScalarType.Int32);
        packed.item<int>().ShouldBe(0x76543210);
    }

    [Fact]
    public void PackWeight_HighCodeInLastNibble_IsStoredAsTheNegativeInt32WithTheSameBits()
    {
        using var codes = tensor(new byte[] { 15, 0, 0, 0, 0, 0, 0, 15 }, [1, 8]);
        using var packed = GptqPacking.PackWeight(codes);

        packed.item<int>().ShouldBe(unchecked((int)0xF000000F));
    }

    [Fact]
    public void PackZeros_SymmetricZeroEight_IsStoredAsSevensInV1()
    {
        // Symmetric 4-bit zero points are 8; v1 stores zero − 1 = 7 in every nibble.
        using var zeros = full([2, 8], 8, ScalarType.Int32);
        using var packed = GptqPacking.PackZeros(zeros);

        packed.shape.ShouldBe([2L, 1L]);
        packed[0, 0].item<int>().ShouldBe(0x77777777);
        using var v2 = GptqPacking.PackZeros(zeros, offset: 0);
        v2[1, 0].item<int>().ShouldBe(unchecked((int)0x88888888));
    }

    [Fact]
    public void PackThenUnpack_RandomCodesAndZeros_RoundTripExactly()
    {
        using var generator = new Generator(7);
        using var codes = randint(0, 16, [24, 64], generator: generator).to(ScalarType.Byte);
        using var zeros = randint(0, 16, [4, 24], generator: generator).to(ScalarType.Int32);

        using var qweight = GptqPacking.PackWeight(codes);
        using var qzeros = GptqPacking.PackZeros(zeros);
        using var codesBack = GptqPacking.UnpackWeight(qweight);
        using var zerosBack = GptqPacking.UnpackZeros(qzeros);

        qweight.shape.ShouldBe([8L, 24L]);
        qzeros.shape.ShouldBe([4L, 3L]);
        codesBack.t().to(ScalarType.Int32).eq(codes.to(ScalarType.Int32)).all().item<bool>().ShouldBeTrue();
        zerosBack.eq(zeros).all().item<bool>().ShouldBeTrue();
    }
}
