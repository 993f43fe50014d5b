using System.Globalization;

namespace Kefu.Evaluation.Gating;

/// <summary>One release gate: a metric, a comparison and a threshold (<c>resolution&gt;=0.8</c>).</summary>
public sealed record Gate(string Metric, string Operator, double Threshold)
{
    /// <summary>Whether <paramref name="value"/> passes; a metric the run does not have fails (a gate must not pass by absence).</summary>
    public bool Passes(double? value) => value is { } v && Operator switch
    {
        ">=" => v >= Threshold,
        ">" => v > Threshold,
        "<=" => v <= Threshold,
        "<" => v < Threshold,
        _ => false,
    };

    public override string ToString() => Metric + Operator + Threshold.ToString(CultureInfo.InvariantCulture);
}
