using System.Globalization;
using Kefu.Data.Records;

namespace Kefu.Data.Mixing;

/// <summary>The target share of each category, e.g. <c>60:30:10</c> (knowledge:dialogue:exception).</summary>
public sealed record MixRatio(double Knowledge, double Dialogue, double Exception)
{
    /// <summary>The seed article's recipe: 60% knowledge, 30% dialogue, 10% exception handling.</summary>
    public static MixRatio Default { get; } = new(0.6, 0.3, 0.1);

    /// <summary>The share of <paramref name="category"/> (shares sum to 1).</summary>
    public double Share(DataCategory category) => category switch
    {
        DataCategory.Knowledge => Knowledge,
        DataCategory.Dialogue => Dialogue,
        _ => Exception,
    };

    /// <summary>Parses <c>K:D:E</c> in any unit (60:30:10, 6:3:1, 0.6:0.3:0.1); shares are normalised to sum to 1.</summary>
    public static bool TryParse(string? text, out MixRatio ratio, out string? error)
    {
        ratio = Default;
        error = null;
        var parts = (text ?? "").Split(':');
        var values = new double[3];
        if (parts.Length != 3 || parts.Select((p, i) => double.TryParse(p.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])).Any(ok => !ok))
        {
            error = $"'{text}' is not a mix: write knowledge:dialogue:exception, e.g. 60:30:10";
            return false;
        }
        if (values.Any(v => v < 0 || double.IsNaN(v) || double.IsInfinity(v)) || values.Sum() <= 0)
        {
            error = $"'{text}': the shares must be non-negative and not all zero";
            return false;
        }
        var sum = values.Sum();
        ratio = new MixRatio(values[0] / sum, values[1] / sum, values[2] / sum);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Knowledge * 100:0.#}:{Dialogue * 100:0.#}:{Exception * 100:0.#}");
}
