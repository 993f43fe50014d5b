namespace Kefu.Export.Tests.LlamaCpp;

/// <summary>
/// Rows of 512 values (two k-quant super-blocks) for comparing quantizers with ggml: weight-like random rows at scales
/// from 1e-5 to 10, and the corner cases of each scale search (zeros, constants, one-signed rows, outliers, values that
/// make fp16-subnormal scales or fall below GROUP_MAX_EPS, empty and busy sub-blocks).
/// </summary>
internal static class QuantizerTestRows
{
    public static IEnumerable<(string Name, float[] Row)> Rows(int randomRowsPerKind)
    {
        var random = new Random(4);
        float[] Make(Func<int, float> value) => Enumerable.Range(0, 512).Select(value).ToArray();
        for (var r = 0; r < randomRowsPerKind; r++)
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

    /// <summary>A standard normal sample (Box–Muller), from <paramref name="random"/> so rows are reproducible.</summary>
    public static float Normal(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
