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

    /// <summary>Rows of 512 values (two super-blocks): weight-like random rows and the corner cases of each search.</summary>
    private static IEnumerable<(string Name, float[] Row)> Rows()
    {
        var random = new Random(4);
        float[] Make(Func<int, float> value) => Enumerable.Range(0, 512).Select(value).ToArray();
        for (var r = 0; r < 20; r++)
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
