namespace Kefu.Learning.Training;

/// <summary>Continues training an adapter on a data set and writes the new adapter.</summary>
public interface IAdapterTrainer
{
    /// <summary>
    /// Trains on <paramref name="dataPaths"/> (kefu data build inputs) starting from <paramref name="currentAdapter"/>
    /// (null: a fresh adapter) and returns the folder of the new adapter under <paramref name="workDirectory"/>.
    /// </summary>
    Task<string> ContinueAsync(string? currentAdapter, IReadOnlyList<string> dataPaths, string workDirectory, CancellationToken cancellationToken);
}
