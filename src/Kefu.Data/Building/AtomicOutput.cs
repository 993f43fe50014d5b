namespace Kefu.Data.Building;

/// <summary>
/// Writes output files as hidden temporaries in the output folder and renames them into place only on
/// <see cref="Commit"/>, so a build that fails or is cancelled leaves the folder as it was (earlier outputs intact,
/// nothing half-written). Renames within one folder are atomic on the same file system.
/// </summary>
internal sealed class AtomicOutput : IDisposable
{
    private readonly string _directory;
    private readonly List<(string Temp, string Final)> _staged = [];

    public AtomicOutput(string directory)
    {
        _directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(_directory);
    }

    public string Directory => _directory;

    /// <summary>A temporary path for <paramref name="fileName"/>; the file appears under its name on commit.</summary>
    public string Stage(string fileName)
    {
        var temp = Path.Combine(_directory, $".{fileName}.{Guid.NewGuid():N}.tmp");
        _staged.Add((temp, Path.Combine(_directory, fileName)));
        return temp;
    }

    public IReadOnlyList<string> Commit()
    {
        var committed = new List<string>();
        foreach (var (temp, final) in _staged)
        {
            File.Move(temp, final, overwrite: true);
            committed.Add(final);
        }
        _staged.Clear();
        return committed;
    }

    public void Dispose()
    {
        foreach (var (temp, _) in _staged)
        {
            try { File.Delete(temp); }
            catch (IOException) { /* best effort: a leftover hidden temp file is harmless */ }
        }
        _staged.Clear();
    }
}
