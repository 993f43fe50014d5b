using Kefu.Export.Gguf;
using Kefu.Testing.LlamaCpp;

namespace Kefu.Export.Tests.LlamaCpp;

/// <summary>
/// Kefu's F16 / Q8_0 / Q4_0 encoders and decoders against ggml's own (libggml-base of llama.cpp): the bytes must be
/// identical, not merely close, because llama.cpp and Ollama read them as ggml wrote them.
/// </summary>
public sealed class GgmlQuantsAgainstGgmlTests
{
    private const int RowLength = 256;

    public static TheoryData<GgmlType> Types => [GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_0];

    [Theory]
    [MemberData(nameof(Types))]
    public void Quantize_RandomAndNastyRows_GivesGgmlsExactBytes(GgmlType type)
    {
        GgmlReference.RequireAvailable();
        foreach (var (name, row) in Rows())
        {
            var expected = GgmlReference.Quantize((int)type, row, RowLength);
            var actual = GgmlQuants.FromFloats(row, type);
            var firstDifference = FirstDifference(expected, actual);
            firstDifference.ShouldBe(-1, $"{type} bytes of the {name} row differ from ggml's first at byte {firstDifference}");
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Dequantize_KefusBytes_GivesGgmlsExactValues(GgmlType type)
    {
        GgmlReference.RequireAvailable();
        foreach (var (name, row) in Rows())
        {
            var bytes = GgmlQuants.FromFloats(row, type);
            var expected = GgmlReference.Dequantize((int)type, bytes, row.Length);
            var actual = GgmlQuants.ToFloats(bytes, type);
            actual.Length.ShouldBe(expected.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                if (BitConverter.SingleToInt32Bits(actual[i]) != BitConverter.SingleToInt32Bits(expected[i]))
                    Assert.Fail($"{type} value {i} of the {name} row: Kefu decodes {actual[i]:R}, ggml {expected[i]:R}");
            }
        }
    }

    [Fact]
    public void Quantize_Q8_0_RoundTripThroughGgml_StaysWithinHalfAStep()
    {
        GgmlReference.RequireAvailable();
        var row = Rows().Single(r => r.Name == "random").Values;
        var back = GgmlReference.Dequantize((int)GgmlType.Q8_0, GgmlQuants.QuantizeQ8_0(row), row.Length);
        for (var block = 0; block < row.Length / 32; block++)
        {
            var values = row.AsSpan(block * 32, 32).ToArray();
            var step = values.Max(MathF.Abs) / 127;
            // Half a step of rounding, plus the scale's own rounding to half precision (2^-11 relative) times |q| ≤ 127.
            var bound = step * (0.5f + 127 * MathF.Pow(2, -11)) * 1.001f;
            for (var i = 0; i < 32; i++)
                Math.Abs(back[block * 32 + i] - values[i]).ShouldBeLessThanOrEqualTo(bound);
        }
    }

    /// <summary>Rows of 256 values (8 blocks) that exercise rounding ties, signs, zeros, outliers and half-precision limits.</summary>
    private static List<(string Name, float[] Values)> Rows()
    {
        var random = new Random(20261124);
        float Gaussian() => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        float[] Make(Func<int, float> value) => Enumerable.Range(0, RowLength).Select(value).ToArray();

        var outlier = Make(_ => Gaussian() * 0.02f);
        outlier[37] = 3000f;
        outlier[200] = -1e-3f;
        return
        [
            ("random", Make(_ => Gaussian())),
            ("small random", Make(_ => Gaussian() * 1e-3f)),
            ("zeros", new float[RowLength]),
            ("constant", Make(_ => 0.37f)),
            ("negative constant", Make(_ => -2.5f)),
            ("one huge outlier", outlier),
            ("negative only", Make(_ => -MathF.Abs(Gaussian()) - 0.01f)),
            ("positive only", Make(_ => MathF.Abs(Gaussian()) + 0.01f)),
            // amax 127 makes the Q8_0 scale exactly 1, so x.5 values are rounding ties (away from zero in ggml).
            ("q8 ties", Make(i => i % 32 == 0 ? 127f : (i % 7 - 3) + 0.5f)),
            // A block maximum of −8 makes the Q4_0 scale exactly 1: x + 8.5 lands on integers and on the clamp at 15.
            ("q4 ties", Make(i => i % 32 == 0 ? -8f : (i % 17) - 8 + (i % 2 == 0 ? 0.5f : 0f))),
            ("mixed magnitudes", Make(i => Gaussian() * MathF.Pow(10, i % 8 - 4))),
            // Half precision: subnormal scales, values near the largest half, and values that round to half ties.
            ("half subnormal", Make(_ => Gaussian() * 1e-6f)),
            ("half large", Make(i => (i % 2 == 0 ? 1 : -1) * 60000f + Gaussian())),
            ("half ties", Make(i => 1f + (2 * (i % 64) + 1) * MathF.Pow(2, -11))),
        ];
    }

    private static int FirstDifference(byte[] expected, byte[] actual)
    {
        if (expected.Length != actual.Length)
            return Math.Min(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i])
                return i;
        }
        return -1;
    }
}
