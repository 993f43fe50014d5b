namespace Kefu.Export.Tests.LlamaCpp;

/// <summary>How far two [position][vocabulary] logit tables are apart.</summary>
internal sealed record LogitsComparison(double MaxAbsoluteDifference, double MaxAbsoluteLogit, int ArgmaxAgreements, int Positions)
{
    /// <summary>The largest difference relative to the largest logit.</summary>
    public double RelativeDifference => MaxAbsoluteDifference / MaxAbsoluteLogit;

    public static LogitsComparison Of(float[][] expected, float[][] actual)
    {
        if (expected.Length != actual.Length)
            throw new ArgumentException($"{expected.Length} positions against {actual.Length}.");
        double maxDifference = 0, maxLogit = 0;
        var agreements = 0;
        for (var p = 0; p < expected.Length; p++)
        {
            if (expected[p].Length != actual[p].Length)
                throw new ArgumentException($"Position {p}: {expected[p].Length} logits against {actual[p].Length}.");
            for (var v = 0; v < expected[p].Length; v++)
            {
                maxDifference = Math.Max(maxDifference, Math.Abs(expected[p][v] - actual[p][v]));
                maxLogit = Math.Max(maxLogit, Math.Abs(expected[p][v]));
            }
            if (Argmax(expected[p]) == Argmax(actual[p]))
                agreements++;
        }
        return new LogitsComparison(maxDifference, maxLogit, agreements, expected.Length);
    }

    public override string ToString() =>
        $"max |Δ| {MaxAbsoluteDifference:G4} (relative {RelativeDifference:G3}, largest logit {MaxAbsoluteLogit:G4}), argmax agrees at {ArgmaxAgreements}/{Positions} positions";

    private static int Argmax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
                best = i;
        }
        return best;
    }
}
