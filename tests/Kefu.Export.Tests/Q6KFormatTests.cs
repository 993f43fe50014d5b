using Kefu.Export.Gguf;

namespace Kefu.Export.Tests;

public sealed class Q6KFormatTests
{
    [Fact]
    public void Quantize_AllZeroBlock_IsAllZeroBytes()
    {
        var bytes = GgmlQuants.FromFloats(new float[512], GgmlType.Q6_K);

        bytes.ShouldBe(new byte[420]);
    }

    [Fact]
    public void Quantize_ConstantBlock_MapsTheScaleToMinus128AndTheValuesToCodeZero()
    {
        // x = 1: each 16-value sub-block's largest value is 1, iscale = −32, every code −32 (stored 0). With weights
        // x² all equal, every trial scale fits equally well, so the first fit stays: scale = Σx·l / Σl² = −1/32.
        // The largest |scale| maps to −128: iscale = −128/(−1/32) = 4096, d = fp16(1/4096) = 0x0C00, every int8
        // scale −128 (0x80). Requantizing 1 / (d·−128) = −32 → stored 0, so the low and high bits are all 0.
        var bytes = GgmlQuants.FromFloats(Enumerable.Repeat(1f, 256).ToArray(), GgmlType.Q6_K);

        byte[] expected = [.. new byte[128 + 64], .. Enumerable.Repeat((byte)0x80, 16), 0x00, 0x0C];
        bytes.ShouldBe(expected);
        GgmlQuants.ToFloats(bytes, GgmlType.Q6_K).ShouldAllBe(v => v == 1f); // 2^-12 · −128 · (0 − 32)
    }

    [Fact]
    public void Quantize_OneOutlier_KeepsItExactAndTheRestZero()
    {
        // Only x[0] = 1 is non-zero. Sub-block 0 fits scale −1/32 (x[0] → code −32, the zeros → code 0, stored 32);
        // the other sub-blocks are all zero (scale 0, stored codes 0). d = 1/4096 as above; int8 scales −128, then 0.
        // Stored code 32 has high bits 2 and low nibble 0: the high-bit bytes 1–15 (values 1–15) are 0x02, rest 0.
        var x = new float[256];
        x[0] = 1f;

        var bytes = GgmlQuants.FromFloats(x, GgmlType.Q6_K);

        var expected = new byte[210];
        for (var l = 1; l < 16; l++)
            expected[128 + l] = 0x02;
        expected[192] = 0x80;
        expected[209] = 0x0C;
        bytes.ShouldBe(expected);
        var back = GgmlQuants.ToFloats(bytes, GgmlType.Q6_K);
        back[0].ShouldBe(1f);
        back.Skip(1).ShouldAllBe(v => v == 0f);
    }

    [Fact]
    public void Dequantize_HandBuiltBlock_ReadsLowNibblesHighBitsAndSignedScales()
    {
        // d = 0.25; scale of sub-block 0 = 3, of sub-block 4 (values 64–79) = −2.
        // Value 0: low nibble of byte 0 = 5, high bits (byte 128, bits 0–1) = 1 → code 21 → 0.25·3·(21 − 32).
        // Value 64: high nibble of byte 0 = 9, high bits (byte 128, bits 4–5) = 3 → code 57 → 0.25·−2·(57 − 32).
        var block = new byte[210];
        BitConverter.TryWriteBytes(block.AsSpan(208), (Half)0.25f);
        block[192] = 3;
        block[192 + 4] = unchecked((byte)-2);
        block[0] = 0x95;
        block[128] = 1 | (3 << 4);

        var values = GgmlQuants.ToFloats(block, GgmlType.Q6_K);

        values[0].ShouldBe(0.25f * 3 * (21 - 32));
        values[64].ShouldBe(0.25f * -2 * (57 - 32));
    }

    [Fact]
    public void RoundTrip_RandomWeights_StaysWithinOneStepOfEachSubBlock()
    {
        var random = new Random(13);
        var x = Enumerable.Range(0, 256 * 16).Select(_ => (float)(random.NextDouble() * 2 - 1) * (random.Next(4) + 1) * 0.05f).ToArray();

        var back = GgmlQuants.ToFloats(GgmlQuants.FromFloats(x, GgmlType.Q6_K), GgmlType.Q6_K);

        // 64 levels over ±max|x| of each 16-value sub-block: a step is max|x|/32; int8 scales add well under a step.
        for (var sub = 0; sub < x.Length / 16; sub++)
        {
            var slice = x.AsSpan(sub * 16, 16);
            var step = slice.ToArray().Max(Math.Abs) / 32;
            for (var j = 0; j < 16; j++)
                Math.Abs(back[sub * 16 + j] - slice[j]).ShouldBeLessThanOrEqualTo(step);
        }
        Q4KFormatTests.Rmse(x, back).ShouldBeLessThan(Q4KFormatTests.Rmse(x, GgmlQuants.ToFloats(GgmlQuants.FromFloats(x, GgmlType.Q4_K), GgmlType.Q4_K)) / 3);
    }
}
