using Kefu.Export.Gguf;

namespace Kefu.Export.Tests;

public sealed class Q4KFormatTests
{
    [Fact]
    public void Quantize_AllZeroBlock_IsAllZeroBytes()
    {
        // Every sub-block has max == min == 0: codes 0, scale 0, min 0, so d, dmin and the packed scales are 0 too.
        var bytes = GgmlQuants.FromFloats(new float[256], GgmlType.Q4_K);

        bytes.ShouldBe(new byte[144]);
        GgmlQuants.ToFloats(bytes, GgmlType.Q4_K).ShouldAllBe(v => v == 0f);
    }

    [Fact]
    public void Quantize_ConstantPositiveBlock_UsesTheTopCodeAndFullSixBitScales()
    {
        // x = 1 everywhere. Each sub-block: min clamps to 0, iscale = 15/1, scale = 1/15f, codes 15; the 21 trial
        // ranges all give one code for the whole sub-block, so the fit's determinant is exactly 0 and the first fit stays.
        // max_scale = 1/15f → every 6-bit scale nearest_int(63/max_scale · 1/15f) = 63, every min 0.
        // d = fp16(1/15f / 63) = fp16(0.0010582) = 2^-10 · (1 + 86/1024) = 0x1456; dmin = 0.
        // Packing: sub-blocks 0–3 keep 63 in bytes 0–3 (mins 0 in 4–7); 4–7 put their low nibble 0xF in bytes 8–11
        // and their top two bits (3) in bits 6–7 of bytes 0–3 → 0xFF. Requantizing 1/(d·63) = 14.99 → code 15 → 0xFF.
        var bytes = GgmlQuants.FromFloats(Enumerable.Repeat(1f, 256).ToArray(), GgmlType.Q4_K);

        byte[] expected =
        [
            0x56, 0x14, 0x00, 0x00,
            0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x0F, 0x0F, 0x0F, 0x0F,
            .. Enumerable.Repeat((byte)0xFF, 128),
        ];
        bytes.ShouldBe(expected);
        var expectedValue = (float)BitConverter.ToHalf(bytes, 0) * 63 * 15; // 1.00036
        GgmlQuants.ToFloats(bytes, GgmlType.Q4_K).ShouldAllBe(v => v == expectedValue);
    }

    [Fact]
    public void Quantize_ConstantNegativeBlock_PutsEverythingInTheMin()
    {
        // x = −0.5 everywhere: max == min == −0.5, so codes 0, scale 0 and the min 0.5 carries the value.
        // max_min = 0.5 → 6-bit mins nearest_int(63/0.5 · 0.5) = 63; dmin = fp16(0.5/63) = 2^-7 · (1 + 16/1024) = 0x2010.
        // Packing: mins of sub-blocks 0–3 in bytes 4–7 (63), 4–7 as the high nibble of bytes 8–11 (0xF0) plus their
        // top bits in bits 6–7 of bytes 4–7 → 0xFF. d = 0, so requantization skips every sub-block: codes stay 0.
        var bytes = GgmlQuants.FromFloats(Enumerable.Repeat(-0.5f, 256).ToArray(), GgmlType.Q4_K);

        byte[] expected =
        [
            0x00, 0x00, 0x10, 0x20,
            0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xF0, 0xF0, 0xF0, 0xF0,
            .. new byte[128],
        ];
        bytes.ShouldBe(expected);
        var expectedValue = -(float)BitConverter.ToHalf(bytes, 2) * 63; // −0.49988
        GgmlQuants.ToFloats(bytes, GgmlType.Q4_K).ShouldAllBe(v => v == expectedValue);
    }

    [Fact]
    public void Dequantize_HandBuiltBlock_AppliesEachSubBlocksScaleAndMin()
    {
        // d = 1, dmin = 0.5; sub-block 0: scale 2, min 4 (value = 2q − 2); sub-block 1: scale 1, min 0 (value = q);
        // sub-block 5 (packed across bytes 1, 5 and 9): scale 17 = 0x11, min 33 = 0x21.
        var block = new byte[144];
        BitConverter.TryWriteBytes(block.AsSpan(0), (Half)1f);
        BitConverter.TryWriteBytes(block.AsSpan(2), (Half)0.5f);
        block[4 + 0] = 2;
        block[4 + 4] = 4;
        block[4 + 1] = 1 | (1 << 6);       // sub-block 1 scale 1; bits 6–7: sub-block 5 scale's top bits (17 >> 4 = 1)
        block[4 + 5] = 2 << 6;             // sub-block 1 min 0; bits 6–7: sub-block 5 min's top bits (33 >> 4 = 2)
        block[4 + 9] = 0x1 | (0x1 << 4);   // sub-block 5: scale low nibble 1, min low nibble 1
        block[16] = 0x73;                  // value 0 (sub-block 0) code 3, value 32 (sub-block 1) code 7
        block[16 + 64 + 5] = 0xA0;         // value 165 (sub-block 5: high nibbles of the third 32-byte group) code 10

        var values = GgmlQuants.ToFloats(block, GgmlType.Q4_K);

        values[0].ShouldBe(2 * 3 - 0.5f * 4);
        values[1].ShouldBe(-2f);
        values[32].ShouldBe(7f);
        values[165].ShouldBe(17 * 10 - 0.5f * 33);
    }

    [Fact]
    public void RoundTrip_RandomWeights_StaysWithinOneStepOfEachSubBlock()
    {
        var random = new Random(11);
        var x = Enumerable.Range(0, 256 * 16).Select(_ => (float)(random.NextDouble() * 2 - 1) * (random.Next(4) + 1) * 0.05f).ToArray();

        var back = GgmlQuants.ToFloats(GgmlQuants.FromFloats(x, GgmlType.Q4_K), GgmlType.Q4_K);

        // 16 levels over each 32-value sub-block's range; 6-bit scales and mins move the grid by at most a step.
        for (var sub = 0; sub < x.Length / 32; sub++)
        {
            var slice = x.AsSpan(sub * 32, 32);
            var step = (slice.ToArray().Max() - Math.Min(0, slice.ToArray().Min())) / 15;
            for (var j = 0; j < 32; j++)
                Math.Abs(back[sub * 32 + j] - slice[j]).ShouldBeLessThanOrEqualTo(step);
        }
    }

    [Fact]
    public void Quantize_GaussianWeights_HasLowerErrorThanQ4_0AtTheSameBitsPerWeightOrLess()
    {
        // Q4_K spends 4.5 bits per weight, Q4_0 4.5 as well; the fitted scale and min should do better on weight-like data.
        var random = new Random(5);
        var x = Enumerable.Range(0, 256 * 64).Select(_ => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())) * 0.02f).ToArray();

        var q4k = Rmse(x, GgmlQuants.ToFloats(GgmlQuants.FromFloats(x, GgmlType.Q4_K), GgmlType.Q4_K));
        var q40 = Rmse(x, GgmlQuants.ToFloats(GgmlQuants.FromFloats(x, GgmlType.Q4_0), GgmlType.Q4_0));

        GgmlType.Q4_K.ByteSize(x.Length).ShouldBe(GgmlType.Q4_0.ByteSize(x.Length));
        q4k.ShouldBeLessThan(q40);
    }

    internal static double Rmse(float[] expected, float[] actual) =>
        Math.Sqrt(expected.Zip(actual, (a, b) => (double)(a - b) * (a - b)).Sum() / expected.Length);
}
