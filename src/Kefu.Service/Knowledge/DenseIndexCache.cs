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
    /// unless already held. A newly loaded index with fewer vectors than <paramref name="documentCount"/> chunks
    /// calls <paramref name="startBackfill"/>, so chunks imported without embeddings join dense retrieval.
    /// </summary>
    public async Task<DenseIndex> GetAsync(long generation, string model, long documentCount, Func<Task<DenseIndex>> load, Action startBackfill)
    {
        if (Volatile.Read(ref _current) is { } current && current.Generation == generation && current.Model == model)
            return current;
        var index = await load().ConfigureAwait(false);
        Volatile.Write(ref _current, index);
        if (index.Count < documentCount)
            startBackfill();
        return index;
    }
}
