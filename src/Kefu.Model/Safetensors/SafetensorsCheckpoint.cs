using static TorchSharp.torch;

namespace Kefu.Model.Safetensors;

/// <summary>
/// The weights of a model folder: <c>model.safetensors</c>, or the shards named by
/// <c>model.safetensors.index.json</c>. Files are opened (memory-mapped) on first use and closed on dispose.
/// </summary>
public sealed class SafetensorsCheckpoint : IDisposable
{
    /// <summary>The single-file checkpoint name.</summary>
    public const string SingleFileName = "model.safetensors";

    private readonly string _directory;
    private readonly Dictionary<string, string> _fileOfTensor;
    private readonly Dictionary<string, SafetensorsFile> _open = new(StringComparer.Ordinal);

    private SafetensorsCheckpoint(string directory, Dictionary<string, string> fileOfTensor)
    {
        _directory = directory;
        _fileOfTensor = fileOfTensor;
    }

    /// <summary>Every tensor name in the checkpoint.</summary>
    public IReadOnlyCollection<string> TensorNames => _fileOfTensor.Keys;

    /// <summary>Opens the checkpoint of a model folder, sharded or not.</summary>
    public static SafetensorsCheckpoint Open(string directory)
    {
        if (!Directory.Exists(directory))
            throw new SafetensorsFormatException($"{directory}: model folder not found.");
        var indexPath = Path.Combine(directory, SafetensorsIndex.FileName);
        var singlePath = Path.Combine(directory, SingleFileName);
        if (File.Exists(indexPath))
        {
            var index = SafetensorsIndex.Load(indexPath);
            var checkpoint = new SafetensorsCheckpoint(directory, new Dictionary<string, string>(index.WeightMap!, StringComparer.Ordinal));
            try
            {
                // Every shard must exist and hold exactly what the index says it holds.
                foreach (var shard in index.WeightMap!.GroupBy(p => p.Value, StringComparer.Ordinal))
                {
                    var file = checkpoint.OpenFile(shard.Key);
                    var missing = shard.Select(p => p.Key).Where(name => !file.Header.Tensors.ContainsKey(name)).Take(5).ToList();
                    if (missing.Count > 0)
                        throw new SafetensorsFormatException($"{indexPath}: shard {shard.Key} lacks tensors the index puts there: {string.Join(", ", missing)}.");
                }
                return checkpoint;
            }
            catch
            {
                checkpoint.Dispose();
                throw;
            }
        }
        if (File.Exists(singlePath))
        {
            var checkpoint = new SafetensorsCheckpoint(directory, new Dictionary<string, string>(StringComparer.Ordinal));
            try
            {
                foreach (var name in checkpoint.OpenFile(SingleFileName).Header.Tensors.Keys)
                    checkpoint._fileOfTensor[name] = SingleFileName;
                return checkpoint;
            }
            catch
            {
                checkpoint.Dispose();
                throw;
            }
        }
        throw new SafetensorsFormatException($"{directory}: no {SingleFileName} and no {SafetensorsIndex.FileName} (only safetensors checkpoints are read).");
    }

    /// <summary>The header entry of a tensor.</summary>
    public SafetensorsTensorInfo Info(string name) => FileOf(name).Info(name);

    /// <summary>Fills an existing tensor (a parameter) from the checkpoint, converting the element type if needed.</summary>
    public void CopyInto(string name, Tensor destination) => FileOf(name).CopyInto(name, destination);

    /// <summary>Reads a tensor into new memory.</summary>
    public Tensor Read(string name, Device? device = null) => FileOf(name).Read(name, device);

    /// <summary>
    /// Fills every target from the checkpoint, one tensor at a time. Before copying anything it checks the match as a
    /// whole and reports every missing, unexpected and wrongly shaped tensor in one error.
    /// </summary>
    /// <param name="targets">Destination tensors by checkpoint name.</param>
    /// <param name="mayBeAbsentOrExtra">Names that may be missing or extra without error (a tied lm_head).</param>
    /// <param name="onLoaded">Told after each tensor: (name, loaded so far, total).</param>
    public void LoadInto(IReadOnlyList<KeyValuePair<string, Tensor>> targets, Func<string, bool>? mayBeAbsentOrExtra = null, Action<string, int, int>? onLoaded = null)
    {
        mayBeAbsentOrExtra ??= _ => false;
        var wanted = targets.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        var missing = wanted.Keys.Where(n => !_fileOfTensor.ContainsKey(n) && !mayBeAbsentOrExtra(n)).Order(StringComparer.Ordinal).ToList();
        var unexpected = _fileOfTensor.Keys.Where(n => !wanted.ContainsKey(n) && !mayBeAbsentOrExtra(n)).Order(StringComparer.Ordinal).ToList();
        var wrongShape = wanted
            .Where(t => _fileOfTensor.ContainsKey(t.Key))
            .Select(t => (t.Key, File: Info(t.Key), Model: t.Value.shape))
            .Where(t => !t.File.Shape.SequenceEqual(t.Model))
            .Select(t => $"{t.Key}: checkpoint {t.File.ShapeText}, model [{string.Join(", ", t.Model)}]")
            .ToList();
        var unsupported = wanted.Keys
            .Where(n => _fileOfTensor.ContainsKey(n))
            .Select(n => Info(n))
            .Where(i => i.DType is not (SafetensorsDType.F32 or SafetensorsDType.F16 or SafetensorsDType.BF16))
            .Select(i => $"{i.Name}: {i.DType}")
            .ToList();
        if (missing.Count + unexpected.Count + wrongShape.Count + unsupported.Count > 0)
        {
            var problems = new List<string>();
            void Add(string what, List<string> names)
            {
                if (names.Count > 0)
                    problems.Add($"{what} ({names.Count}): {string.Join("; ", names.Take(8))}{(names.Count > 8 ? "; …" : "")}");
            }
            Add("missing from the checkpoint", missing);
            Add("in the checkpoint but not in the model", unexpected);
            Add("wrong shape", wrongShape);
            Add("weights must be F32, F16 or BF16", unsupported);
            throw new SafetensorsFormatException($"{_directory}: the checkpoint does not fit the model. {string.Join(". ", problems)}.");
        }

        var loadable = targets.Where(t => _fileOfTensor.ContainsKey(t.Key)).ToList();
        for (var i = 0; i < loadable.Count; i++)
        {
            CopyInto(loadable[i].Key, loadable[i].Value);
            onLoaded?.Invoke(loadable[i].Key, i + 1, loadable.Count);
        }
    }

    public void Dispose()
    {
        foreach (var file in _open.Values)
            file.Dispose();
        _open.Clear();
    }

    private SafetensorsFile FileOf(string name) =>
        _fileOfTensor.TryGetValue(name, out var file)
            ? OpenFile(file)
            : throw new SafetensorsFormatException($"{_directory}: the checkpoint has no tensor named '{name}'.");

    private SafetensorsFile OpenFile(string fileName)
    {
        if (!_open.TryGetValue(fileName, out var file))
        {
            file = SafetensorsFile.Open(Path.Combine(_directory, fileName));
            _open[fileName] = file;
        }
        return file;
    }
}
