using Kefu.Data.Records;

namespace Kefu.Data.Mixing;

/// <summary>The result of mixing: which records were selected, per category, and what was done and why.</summary>
public sealed record MixPlan(
    IReadOnlyList<CategoryMix> Categories,
    IReadOnlyList<DataRecord> Selected,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Records in the mixed set.</summary>
    public int Total => Selected.Count;

    /// <summary>The largest absolute deviation of a category's share from its target, in percentage points.</summary>
    public double MaxDeviationPoints => Categories.Count == 0 ? 0 : Categories.Max(c => Math.Abs(c.DeviationPoints));
}
