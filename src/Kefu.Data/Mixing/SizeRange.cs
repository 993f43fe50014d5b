using System.Globalization;

namespace Kefu.Data.Mixing;

/// <summary>The wanted number of samples after mixing, e.g. <c>200-500</c>; a single number means exactly that many.</summary>
public sealed record SizeRange(int Min, int Max)
{
    /// <summary>The seed article's 200–500 samples.</summary>
    public static SizeRange Default { get; } = new(200, 500);

    public static bool TryParse(string? text, out SizeRange range, out string? error)
    {
        range = Default;
        error = null;
        var parts = (text ?? "").Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length is < 1 or > 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min))
        {
            error = $"'{text}' is not a size: write MIN-MAX (e.g. 200-500) or a single number";
            return false;
        }
        var max = min;
        if (parts.Length == 2 && !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out max))
        {
            error = $"'{text}' is not a size: write MIN-MAX (e.g. 200-500) or a single number";
            return false;
        }
        if (min < 1 || max < min)
        {
            error = $"'{text}': need 1 <= MIN <= MAX";
            return false;
        }
        range = new SizeRange(min, max);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Min == Max ? Min.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{Min}-{Max}");
}
