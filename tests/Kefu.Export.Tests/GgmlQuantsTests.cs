using Kefu.Export.Gguf;

namespace Kefu.Export.Tests;

public sealed class GgmlQuantsTests
{
    [Fact]
    public void QuantizeQ8_0_HandComputedBlock_GivesGgmlsBytes()
    {
        // amax 127 → d = 1 (fp16 0x3C00), q = roundf(x): −63.5 → −64 and −0.5 → −1 (halves away from zero).
        var x = new float[32];
        x[0] = 127f;
        x[1] = -63.5f;
        x[2] = 1.5f;
        x[3] = -0.5f;

        var bytes = GgmlQuants.QuantizeQ8_0(x);

        byte[] expected = [0x00, 0x3C, 0x7F, 0xC0, 0x02, 0xFF, .. new byte[28]];
        bytes.ShouldBe(expected);
    }

    [Fact]
    public void QuantizeQ4_0_HandComputedBlock_PacksFirstHalfInLowNibbles()
    {
        // The value of largest magnitude is −8 → d = −8 / −8 = 1; q = min(15, (int)(x + 8.5)).
        var x = new float[32];
        x[0] = -8f;   // 0
        x[1] = 7f;    // 15
        x[2] = 0.4f;  // 8
        x[3] = -0.6f; // 7
        x[16] = 3f;   // 11
        x[17] = -3.5f; // 5

        var bytes = GgmlQuants.QuantizeQ4_0(x);

        byte[] expected = [0x00, 0x3C, 0xB0, 0x5F, 0x88, 0x87, .. Enumerable.Repeat((byte)0x88, 12)];
        bytes.ShouldBe(expected);
    }

    [Fact]
    public void QuantizeQ4_0_PositiveLargestValue_GetsANegativeScaleAndCodeZero()
    {
        var x = new float[32];
        x[0] = 8f;
        x[1] = -4f;

        var bytes = GgmlQuants.QuantizeQ4_0(x);
        var back = GgmlQuants.DequantizeQ4_0(bytes);

        BitConverter.ToHalf(bytes, 0).ShouldBe((Half)(-1f));
        (bytes[2] & 0x0F).ShouldBe(0);
        back[0].ShouldBe(8f);
        back[1].ShouldBe(-4f);
    }

    [Theory]
    [InlineData(GgmlType.Q8_0, 127, 0.5f)]
    // Q4_0's codes reach −8·d on the largest value's side but only +7·d on the other, so values there may clamp by a whole step.
    [InlineData(GgmlType.Q4_0, 8, 1.0f)]
    public void RoundTrip_RandomBlocks_StaysWithinTheFormatsStepBound(GgmlType type, int levels, float steps)
    {
        var random = new Random(3);
        var x = Enumerable.Range(0, 32 * 8).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();

        var back = GgmlQuants.ToFloats(GgmlQuants.FromFloats(x, type), type);

        for (var block = 0; block < 8; block++)
        {
            var slice = x.AsSpan(block * 32, 32);
            var amax = 0f;
            foreach (var v in slice)
                amax = Math.Max(amax, Math.Abs(v));
            var step = amax / levels;
            for (var j = 0; j < 32; j++)
                Math.Abs(back[block * 32 + j] - slice[j]).ShouldBeLessThanOrEqualTo(step * steps + amax * 2e-3f);
        }
    }

    [Fact]
    public void F16AndBF16_KnownValues_EncodeAsIeeeHalfAndTruncatedFloat()
    {
        GgmlQuants.FromFloats([1f, -2f], GgmlType.F16).ShouldBe(new byte[] { 0x00, 0x3C, 0x00, 0xC0 });
        GgmlQuants.FromFloats([1f, -2f], GgmlType.BF16).ShouldBe(new byte[] { 0x80, 0x3F, 0x00, 0xC0 });
    }
}
