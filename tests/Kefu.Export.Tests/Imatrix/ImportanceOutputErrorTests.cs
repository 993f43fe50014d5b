using Kefu.Export.Gguf;

namespace Kefu.Export.Tests.Imatrix;

/// <summary>
/// What an importance matrix is for: with activations whose columns differ in scale (as real LLM activations do,
/// a few channels much larger than the rest), quantizing with their mean squares must cut the error of the layer's
/// OUTPUT, ‖X·Wᵀ − X·Ŵᵀ‖, below the plain quantizer's.
/// </summary>
public sealed class ImportanceOutputErrorTests
{
    public static TheoryData<GgmlType> Types => [GgmlType.Q4_K, GgmlType.Q6_K, GgmlType.Q5_0, GgmlType.Q4_0];

    [Theory]
    [MemberData(nameof(Types))]
    public void Quantize_WithActivationMeanSquares_LowersOutputErrorOnThoseActivations(GgmlType type)
    {
        const int inputs = 512, outputs = 48, tokens = 256;
        var random = new Random(12);
        var columnScale = Enumerable.Range(0, inputs).Select(_ => MathF.Exp(Normal(random) * 1.2f)).ToArray();
        var x = new float[tokens * inputs];
        for (var t = 0; t < tokens; t++)
        {
            for (var j = 0; j < inputs; j++)
                x[t * inputs + j] = Normal(random) * columnScale[j];
        }
        var w = Enumerable.Range(0, outputs * inputs).Select(_ => Normal(random) * 0.02f).ToArray();
        var importance = new float[inputs];
        for (var j = 0; j < inputs; j++)
            importance[j] = (float)Enumerable.Range(0, tokens).Average(t => (double)x[t * inputs + j] * x[t * inputs + j]);

        var plain = OutputError(x, w, GgmlQuants.ToFloats(GgmlQuants.FromFloats(w, type), type), tokens, inputs, outputs);
        var weighted = OutputError(x, w, GgmlQuants.ToFloats(ImportanceQuants.FromFloats(w, type, importance), type), tokens, inputs, outputs);

        (weighted / plain).ShouldBeLessThan(0.9, $"{type}: output error {weighted:G4} with the importance matrix, {plain:G4} without");
    }

    /// <summary>‖X·Wᵀ − X·Ŵᵀ‖ (Frobenius) in double.</summary>
    internal static double OutputError(float[] x, float[] w, float[] quantized, int tokens, int inputs, int outputs)
    {
        var sum = 0.0;
        for (var t = 0; t < tokens; t++)
        {
            for (var o = 0; o < outputs; o++)
            {
                var difference = 0.0;
                for (var j = 0; j < inputs; j++)
                    difference += (double)x[t * inputs + j] * (w[o * inputs + j] - quantized[o * inputs + j]);
                sum += difference * difference;
            }
        }
        return Math.Sqrt(sum);
    }

    private static float Normal(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
