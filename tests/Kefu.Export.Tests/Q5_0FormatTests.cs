using Kefu.Export.Gguf;

namespace Kefu.Export.Tests;

public sealed class Q5_0FormatTests
{
    [Fact]
    public void Quantize_HandComputedBlock_SplitsFifthBitsIntoTheHighWord()
    {
        // The value of largest magnitude is −16 → d = −16/−16 = 1; q = min(31, (int8)(x + 16.5)):
        // −16 → 0, 15 → 31, 0.4 → 16, −0.6 → 15, 3 → 19, −3.5 → 13, the zeros → 16.
        // Fifth bits (q ≥ 16): values 0–15 → bits 0–15 = 1111 1111 1111 0110 (values 0 and 3 below 16) = 0xFFF6;
        // values 16–31 → bits 16–31 = 0xFFFD (value 17 below 16). Low nibbles: byte j = q[j] | q[j+16] << 4.
        var x = new float[32];
        x[0] = -16f;
        x[1] = 15f;
        x[2] = 0.4f;
        x[3] = -0.6f;
        x[16] = 3f;
        x[17] = -3.5f;

        var bytes = GgmlQuants.FromFloats(x, GgmlType.Q5_0);

        byte[] expected = [0x00, 0x3C, 0xF6, 0xFF, 0xFD, 0xFF, 0x30, 0xDF, 0x00, 0x0F, .. new byte[12]];
        bytes.ShouldBe(expected);
        var back = GgmlQuants.ToFloats(bytes, GgmlType.Q5_0);
        back[0].ShouldBe(-16f);
        back[1].ShouldBe(15f);
        back[2].ShouldBe(0f);
        back[3].ShouldBe(-1f);
        back[16].ShouldBe(3f);
        back[17].ShouldBe(-3f);
        back[31].ShouldBe(0f);
    }

    [Fact]
    public void Quantize_AllZeroBlock_HasZeroScaleAndMidpointCodes()
    {
        // d = 0 / −16 = −0 (fp16 0x8000, as ggml writes it) → id = 0 → every q = (int8)16.5 = 16: low nibbles 0,
        // every fifth bit set.
        var bytes = GgmlQuants.FromFloats(new float[32], GgmlType.Q5_0);

        byte[] expected = [0x00, 0x80, 0xFF, 0xFF, 0xFF, 0xFF, .. new byte[16]];
        bytes.ShouldBe(expected);
        GgmlQuants.ToFloats(bytes, GgmlType.Q5_0).ShouldAllBe(v => v == 0f);
    }

    [Fact]
    public void RoundTrip_RandomBlocks_StaysWithinOneStep()
    {
        var random = new Random(7);
        var x = Enumerable.Range(0, 32 * 16).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();

        var back = GgmlQuants.ToFloats(GgmlQuants.FromFloats(x, GgmlType.Q5_0), GgmlType.Q5_0);

        for (var block = 0; block < 16; block++)
        {
            var slice = x.AsSpan(block * 32, 32);
            var step = slice.ToArray().Max(Math.Abs) / 16;
            for (var j = 0; j < 32; j++)
                Math.Abs(back[block * 32 + j] - slice[j]).ShouldBeLessThanOrEqualTo(step + step * 2e-3f);
        }
    }
}
