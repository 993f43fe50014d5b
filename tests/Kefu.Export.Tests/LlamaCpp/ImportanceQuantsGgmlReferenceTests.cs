using Kefu.Export.Gguf;
using Kefu.Testing.LlamaCpp;

namespace Kefu.Export.Tests.LlamaCpp;

/// <summary>Kefu's importance-weighted Q4_K, Q6_K, Q5_0, Q4_0 (and Q8_0, which ignores it) against ggml_quantize_chunk with an imatrix.</summary>
public sealed class ImportanceQuantsGgmlReferenceTests
{
    public static TheoryData<GgmlType> Types => [GgmlType.Q4_K, GgmlType.Q6_K, GgmlType.Q5_0, GgmlType.Q4_0, GgmlType.Q8_0];

    [Theory]
    [MemberData(nameof(Types))]
    public void Quantize_RandomAndNastyRowsWithRandomImportance_GivesGgmlsBytes(GgmlType type)
    {
        GgmlReference.RequireAvailable();
        var random = new Random(23);
        foreach (var (name, row) in Rows())
        {
            foreach (var (importanceName, importance) in Importances(random, row.Length))
            {
                var ours = ImportanceQuants.FromFloats(row, type, importance);
                var theirs = GgmlReference.Quantize((int)type, row, row.Length, importance);
                ours.ShouldBe(theirs, $"{type} of {name} with {importanceName} importance");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Quantize_WeightMatrixOfManyRows_GivesGgmlsBytes(GgmlType type)
    {
        // 96 rows of 1280 with one importance vector: enough rows for Kefu's multi-threaded path.
        GgmlReference.RequireAvailable();
        var random = new Random(31);
        var matrix = Enumerable.Range(0, 96 * 1280).Select(_ => Normal(random) * 0.03f).ToArray();
        var importance = Enumerable.Range(0, 1280).Select(_ => MathF.Exp(Normal(random) * 2)).ToArray();

        ImportanceQuants.FromFloats(matrix, type, importance).ShouldBe(GgmlReference.Quantize((int)type, matrix, 1280, importance));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Quantize_UniformImportance_DiffersFromThePlainPathOnlyWhereGgmlsDoes(GgmlType type)
    {
        // ggml's impl paths are different searches, not the reference one reweighted: a constant importance still
        // changes the bytes for the k-quants and Q4_0/Q5_0; Kefu must follow ggml in both directions.
        GgmlReference.RequireAvailable();
        var random = new Random(8);
        var row = Enumerable.Range(0, 512).Select(_ => Normal(random)).ToArray();
        var ones = Enumerable.Repeat(1f, 512).ToArray();
        var ours = ImportanceQuants.FromFloats(row, type, ones);

        ours.ShouldBe(GgmlReference.Quantize((int)type, row, 512, ones));
        (ours.AsSpan().SequenceEqual(GgmlQuants.FromFloats(row, type))).ShouldBe(type == GgmlType.Q8_0);
    }

    [Fact]
    public void FromFloats_NegativeImportance_IsRefusedNamingTheColumn()
    {
        var importance = Enumerable.Repeat(1f, 256).ToArray();
        importance[7] = -1;
        Should.Throw<ArgumentException>(() => ImportanceQuants.FromFloats(new float[512], GgmlType.Q4_K, importance)).Message.ShouldContain("column 7");
    }

    private static IEnumerable<(string Name, float[] Importance)> Importances(Random random, int length)
    {
        yield return ("log-normal", Enumerable.Range(0, length).Select(_ => MathF.Exp(Normal(random) * 3)).ToArray());
        yield return ("uniform(0,1]", Enumerable.Range(0, length).Select(_ => 1 - (float)random.NextDouble()).ToArray());
        yield return ("sparse with zeros", Enumerable.Range(0, length).Select(i => i % 7 == 0 ? 0f : (float)random.NextDouble() * 100).ToArray());
    }

    private static IEnumerable<(string Name, float[] Row)> Rows() => QuantizerTestRows.Rows(randomRowsPerKind: 20);

    private static float Normal(Random random) => QuantizerTestRows.Normal(random);
}
