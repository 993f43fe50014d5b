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

    private static IEnumerable<(string Name, float[] Row)> Rows() => QuantizerTestRows.Rows(randomRowsPerKind: 40);

    private static float Normal(Random random) => QuantizerTestRows.Normal(random);
}
