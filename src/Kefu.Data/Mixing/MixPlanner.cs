using System.Globalization;
using Kefu.Data.Categories;
using Kefu.Data.Records;

namespace Kefu.Data.Mixing;

/// <summary>
/// Mixes categories to a target ratio and size without ever inventing or repeating data:
/// <list type="number">
/// <item>The exact ratio is kept at the largest size every category can supply, capped at the maximum size; if that
/// reaches the minimum size, categories are down-sampled to it (seeded, so the same seed picks the same records).</item>
/// <item>Otherwise a short category cannot keep its share at the minimum size: it contributes everything it has, the
/// other categories fill the rest in proportion to their shares (as far as they can), a warning names the short
/// category, and the deviation from the ratio is reported. The size range takes precedence over the ratio, because
/// too few samples hurt a fine-tune more than a few points of mix.</item>
/// </list>
/// </summary>
public static class MixPlanner
{
    private static readonly DataCategory[] AllCategories = [DataCategory.Knowledge, DataCategory.Dialogue, DataCategory.Exception];

    public static MixPlan Plan(IReadOnlyList<DataRecord> records, MixRatio ratio, SizeRange size, int seed)
    {
        var byCategory = AllCategories.ToDictionary(c => c, c => records.Where(r => r.Category == c).ToList());
        var available = AllCategories.ToDictionary(c => c, c => byCategory[c].Count);
        var actions = new List<string>();
        var warnings = new List<string>();

        var exactSize = AllCategories.Where(c => ratio.Share(c) > 0).Select(c => (int)Math.Floor(available[c] / ratio.Share(c) + 1e-9)).DefaultIfEmpty(0).Min();
        var size1 = Math.Min(size.Max, exactSize);
        Dictionary<DataCategory, int> counts;
        Dictionary<DataCategory, int> wanted;
        if (size1 >= size.Min)
        {
            counts = Allocate(size1, ratio, available);
            wanted = counts;
        }
        else
        {
            var usable = AllCategories.Where(c => ratio.Share(c) > 0).Sum(c => available[c]);
            var target = Math.Min(size.Min, usable);
            wanted = Allocate(size.Min, ratio, null);
            counts = Fill(target, ratio, available);
            foreach (var c in AllCategories.Where(c => available[c] < wanted[c]))
            {
                warnings.Add(Text($"category {c.ToName()} is short: {available[c]} usable records, {wanted[c]} wanted ({ratio.Share(c) * 100:0.#}% of {size.Min}); took all {available[c]} — add more {c.ToName()} data to keep the ratio"));
            }
            if (target < size.Min)
                warnings.Add(Text($"only {target} usable records in all, below the minimum size {size.Min}; nothing is up-sampled"));
        }

        var random = SeededRandom.For(seed, "mix");
        var selected = new List<DataRecord>();
        var mixes = new List<CategoryMix>();
        var total = counts.Values.Sum();
        foreach (var c in AllCategories)
        {
            var pool = byCategory[c];
            var take = counts[c];
            if (take < pool.Count)
            {
                var order = Enumerable.Range(0, pool.Count).ToList();
                random.Shuffle(order);
                var keep = order.Take(take).Order().ToList();
                selected.AddRange(keep.Select(i => pool[i]));
                actions.Add(Text($"{c.ToName()}: down-sampled {pool.Count} → {take} (seed {seed})"));
            }
            else
            {
                selected.AddRange(pool);
                actions.Add(Text($"{c.ToName()}: kept all {pool.Count}"));
            }
            mixes.Add(new CategoryMix(c, available[c], wanted[c], take, ratio.Share(c), total == 0 ? 0 : (double)take / total));
        }
        return new MixPlan(mixes, selected, actions, warnings);
    }

    /// <summary>Splits <paramref name="size"/> by the ratio (largest remainder), optionally capped by availability.</summary>
    private static Dictionary<DataCategory, int> Allocate(int size, MixRatio ratio, Dictionary<DataCategory, int>? cap)
    {
        var exact = AllCategories.ToDictionary(c => c, c => size * ratio.Share(c));
        var counts = AllCategories.ToDictionary(c => c, c => (int)Math.Floor(exact[c] + 1e-9));
        var remaining = size - counts.Values.Sum();
        foreach (var c in AllCategories.OrderByDescending(c => exact[c] - counts[c]).ThenBy(c => c))
        {
            if (remaining == 0)
                break;
            if (cap is not null && counts[c] >= cap[c])
                continue;
            counts[c]++;
            remaining--;
        }
        return counts;
    }

    /// <summary>Water-filling: categories short of their share give all they have; the rest share out the gap by ratio.</summary>
    private static Dictionary<DataCategory, int> Fill(int target, MixRatio ratio, Dictionary<DataCategory, int> available)
    {
        var counts = AllCategories.ToDictionary(c => c, _ => 0);
        var open = AllCategories.Where(c => ratio.Share(c) > 0).ToList();
        var left = target;
        while (left > 0 && open.Count > 0)
        {
            var shareSum = open.Sum(ratio.Share);
            var capped = open.Where(c => available[c] - counts[c] <= left * ratio.Share(c) / shareSum).ToList();
            if (capped.Count == 0)
            {
                var scaled = new MixRatio(
                    open.Contains(DataCategory.Knowledge) ? ratio.Knowledge / shareSum : 0,
                    open.Contains(DataCategory.Dialogue) ? ratio.Dialogue / shareSum : 0,
                    open.Contains(DataCategory.Exception) ? ratio.Exception / shareSum : 0);
                foreach (var (c, n) in Allocate(left, scaled, null))
                    counts[c] += n;
                break;
            }
            foreach (var c in capped)
            {
                left -= available[c] - counts[c];
                counts[c] = available[c];
                open.Remove(c);
            }
        }
        return counts;
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
