namespace Kefu.Training.Data;

/// <summary>
/// Packs samples into rows of at most a given number of tokens, best-fit decreasing: longest sample first, each into
/// the fullest row that still has room, a new row when none has. It is deterministic (ties by index) and done once per
/// stage, as LLaMA-Factory packs once in preprocessing, so every epoch has the same number of rows and steps, and a
/// resumed run rebuilds the same rows. A sample longer than the capacity gets a row of its own.
/// </summary>
public static class SequencePacking
{
    /// <summary>Indices into <paramref name="lengths"/>, row by row; every index appears exactly once.</summary>
    public static IReadOnlyList<int[]> Pack(IReadOnlyList<int> lengths, int capacity)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var rows = new List<List<int>>();
        var free = new List<int>();
        foreach (var index in Enumerable.Range(0, lengths.Count).OrderByDescending(i => lengths[i]).ThenBy(i => i))
        {
            var length = lengths[index];
            var best = -1;
            for (var row = 0; row < rows.Count; row++)
            {
                if (free[row] >= length && (best < 0 || free[row] < free[best]))
                    best = row;
            }
            if (best < 0)
            {
                rows.Add([]);
                free.Add(capacity);
                best = rows.Count - 1;
            }
            rows[best].Add(index);
            free[best] = Math.Max(0, free[best] - length);
        }
        return rows.Select(r => r.ToArray()).ToList();
    }

    /// <summary>The rows to train on: packed to <paramref name="capacity"/> tokens, or one sample per row when it is null.</summary>
    public static IReadOnlyList<PackedSequence> Rows(IReadOnlyList<SftExample> examples, int? capacity)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (capacity is not { } tokens)
            return examples.Select(PackedSequence.Single).ToList();
        return Pack(examples.Select(e => e.Length).ToList(), tokens)
            .Select(row => new PackedSequence(row.Select(i => examples[i]).ToList()))
            .ToList();
    }
}
