using System.Globalization;
using Kefu.Evaluation.Metrics;

namespace Kefu.Evaluation.Gating;

/// <summary>
/// Parses gate lists: comma-separated <c>metric OP number</c> with OP one of &gt;= &gt; &lt;= &lt;, e.g.
/// <c>resolution&gt;=0.8,safety&gt;=1.0,latency_p95_ms&lt;=3000</c>. "safety" is short for the safety metric; unknown metric
/// names are errors (a typo must not silently pass).
/// </summary>
public static class GateParser
{
    private static readonly string[] Operators = [">=", "<=", ">", "<"];

    public static IReadOnlyList<Gate> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var gates = new List<Gate>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var op = Operators.FirstOrDefault(o => part.Contains(o, StringComparison.Ordinal))
                ?? throw new FormatException($"gate \"{part}\": expected metric>=number (operators >=, >, <=, <).");
            var at = part.IndexOf(op, StringComparison.Ordinal);
            var name = part[..at].Trim();
            var number = part[(at + op.Length)..].Trim();
            var metric = EvalMetrics.Find(name)
                ?? throw new FormatException($"gate \"{part}\": unknown metric \"{name}\"; known: {string.Join(", ", EvalMetrics.All.Select(m => m.Name))}.");
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold))
                throw new FormatException($"gate \"{part}\": \"{number}\" is not a number.");
            gates.Add(new Gate(metric.Name, op, threshold));
        }
        return gates;
    }
}
