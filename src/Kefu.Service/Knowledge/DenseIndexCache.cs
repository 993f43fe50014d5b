namespace Kefu.Service.Knowledge;

/// <summary>
/// The <see cref="DenseIndex"/> of the current generation, shared by a knowledge base's searches whatever its store.
/// Searches racing past a new generation may each load it once; that is cheaper than making every search wait.
/// </summary>
internal sealed class DenseIndexCache
{
    private DenseIndex? _current;

    /// <summary>
    /// The index of <paramref name="generation"/> and <paramref name="model"/>, loaded with <paramref name="load"/>
    /// unless already held; <c>Loaded</c> says it was loaded now.
    /// </summary>
    public async Task<(DenseIndex Index, bool Loaded)> GetAsync(long generation, string model, Func<Task<DenseIndex>> load)
    {
        if (Volatile.Read(ref _current) is { } current && current.Generation == generation && current.Model == model)
            return (current, false);
        var index = await load().ConfigureAwait(false);
        Volatile.Write(ref _current, index);
        return (index, true);
    }
}
