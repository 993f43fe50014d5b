using Kefu.Export.Gguf;
using Kefu.Testing.LlamaCpp;

namespace Kefu.Export.Tests.LlamaCpp;

/// <summary>Kefu's Q4_K, Q6_K and Q5_0 against ggml's own quantizer and dequantizer (llama.cpp's libggml-base).</summary>
public sealed class KQuantGgmlReferenceTests
{
    public static TheoryData<GgmlType> Types => [GgmlType.Q4_K, GgmlType.Q6_K, GgmlType.Q5_0];

    [Theory]
    [MemberData(nameof(Types))]
    public void Quantize_RandomAndNastyRows_GivesGgmlsBytes(GgmlType type)
    {
        GgmlReference.RequireAvailable();
        foreach (var (name, row) in Rows())
        {
            var ours = GgmlQuants.FromFloats(row, type);
            var theirs = GgmlReference.Quantize((int)type, row, row.Length);
            ours.ShouldBe(theirs, $"{type} of {name}");
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Quantize_WeightMatrixOfManyRows_GivesGgmlsBytes(GgmlType type)
    {
        // 96 rows of 1280: 480 super-blocks, enough for Kefu's multi-threaded path.
        GgmlReference.RequireAvailable();
        var random = new Random(17);
        var matrix = Enumerable.Range(0, 96 * 1280).Select(_ => Normal(random) * 0.03f).ToArray();

        GgmlQuants.FromFloats(matrix, type).ShouldBe(GgmlReference.Quantize((int)type, matrix, 1280));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Dequantize_KefuBytes_MatchesGgmlsDequantizerBitForBit(GgmlType type)
    {
        GgmlReference.RequireAvailable();
        foreach (var (name, row) in Rows())
        {
            var bytes = GgmlQuants.FromFloats(row, type);
            var ours = GgmlQuants.ToFloats(bytes, type);
            var theirs = GgmlReference.Dequantize((int)type, bytes, row.Length);
            ours.Select(BitConverter.SingleToInt32Bits).ShouldBe(theirs.Select(BitConverter.SingleToInt32Bits), $"{type} of {name}");
        }
    }

    /// <summary>Rows of 512 values (two super-blocks): weight-like random rows and the corner cases of each search.</summary>
    private static IEnumerable<(string Name, float[] Row)> Rows()
    {
        var random = new Random(4);
        float[] Make(Func<int, float> value) => Enumerable.Range(0, 512).Select(value).ToArray();
        for (var r = 0; r < 40; r++)
        {
            var scale = (float)Math.Pow(10, random.NextDouble() * 6 - 5);
            yield return ($"gaussian ×{scale:G3}", Make(_ => Normal(random) * scale));
            yield return ($"uniform ×{scale:G3}", Make(_ => (float)random.NextDouble() * scale * (random.Next(5) == 0 ? -3 : 1)));
            yield return ($"heavy-tailed ×{scale:G3}", Make(_ => MathF.Pow(Normal(random), 3) * scale));
            yield return ($"few levels ×{scale:G3}", Make(_ => MathF.Round(Normal(random) * 3) * scale));
        }
        yield return ("zeros", new float[512]);
        yield return ("constant positive", Make(_ => 0.5f));
        yield return ("constant negative", Make(_ => -0.25f));
        yield return ("negative only", Make(_ => -(float)random.NextDouble()));
        yield return ("positive only", Make(_ => (float)random.NextDouble()));
        yield return ("ramp", Make(i => i / 511f - 0.3f));
        yield return ("one huge outlier", Make(i => i == 77 ? 100f : Normal(random) * 0.01f));
        yield return ("one huge negative outlier", Make(i => i == 300 ? -1000f : Normal(random) * 0.01f));
        yield return ("fp16-subnormal scales", Make(_ => Normal(random) * 1e-7f));
        yield return ("below GROUP_MAX_EPS", Make(_ => Normal(random) * 1e-17f));
        yield return ("large", Make(_ => Normal(random) * 3000f));
        yield return ("zero and busy sub-blocks", Make(i => i % 64 < 32 ? 0f : Normal(random)));
        yield return ("constant negative sub-block", Make(i => i < 32 ? -0.25f : Normal(random)));
        yield return ("tiny and huge halves", Make(i => Normal(random) * (i < 256 ? 1e-4f : 10f)));
        yield return ("sparse", Make(i => i == 5 ? 1f : i == 200 ? -2f : 0f));
    }

    private static float Normal(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
