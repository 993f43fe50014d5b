using Kefu.Model.Configuration;
using Kefu.Model.Modules;
using Kefu.Model.Runtime;
using Kefu.Model.Safetensors;
using static TorchSharp.torch;

namespace Kefu.Model.Lora;

/// <summary>
/// <c>kefu merge</c>: a complete HF model folder with the adapter folded in, W += (B·A)·scaling computed in float32
/// and stored in the checkpoint's own type. Streams one tensor at a time (a 7B merge never holds the model in
/// memory), writes into a hidden sibling folder and renames it into place when everything is there.
/// </summary>
public static class LoraMerge
{
    /// <summary>Merges and returns the number of weights changed.</summary>
    public static int MergeFolder(string modelDirectory, string adapterDirectory, string outputDirectory,
        long maxShardBytes = SafetensorsCheckpointWriter.DefaultMaxShardBytes, Action<SafetensorsEntry>? onWritten = null)
    {
        var output = ModelFolderWriter.RequireEmptyOutput(outputDirectory);
        var config = Qwen2Config.Load(modelDirectory);
        var lora = LoraConfig.Load(adapterDirectory);
        using var meta = new Qwen2ForCausalLM(config, ScalarType.Float32, META);
        var targets = LoraTargets.Select(meta, lora.TargetModules).ToHashSet(StringComparer.Ordinal);
        using var adapter = SafetensorsFile.Open(Path.Combine(adapterDirectory, LoraAdapter.WeightsFileName));
        using var checkpoint = SafetensorsCheckpoint.Open(modelDirectory);
        CheckAdapterTensors(adapter, targets);

        var order = meta.NamedWeights().Select(w => w.Key).ToList();
        var names = order.Where(checkpoint.TensorNames.Contains).Concat(checkpoint.TensorNames.Except(order).Order(StringComparer.Ordinal)).ToList();
        var merged = 0;
        var entries = new List<SafetensorsEntry>();
        foreach (var name in names)
        {
            var info = checkpoint.Info(name);
            var module = name.EndsWith(".weight", StringComparison.Ordinal) ? name[..^".weight".Length] : null;
            if (module is not null && targets.Contains(module))
            {
                merged++;
                var scaling = lora.ScalingOf(module);
                entries.Add(new SafetensorsEntry(name, info.DType, info.Shape, () =>
                {
                    using var weight = checkpoint.Read(name);
                    using var a = adapter.Read(LoraAdapter.PeftName(module, 'A'));
                    using var b = adapter.Read(LoraAdapter.PeftName(module, 'B'));
                    return LoraMath.Merged(weight, a, b, scaling);
                }));
            }
            else
            {
                entries.Add(new SafetensorsEntry(name, info.DType, info.Shape, () => checkpoint.Read(name)));
            }
        }

        ModelFolderWriter.WriteThenRename(output, temp =>
        {
            SafetensorsCheckpointWriter.Write(temp, entries, maxShardBytes, onWritten: onWritten);
            config.Save(temp);
            ModelFolderWriter.CopyCompanionFiles(modelDirectory, temp);
        });
        return merged;
    }

    private static void CheckAdapterTensors(SafetensorsFile adapter, HashSet<string> targets)
    {
        foreach (var module in targets)
        {
            _ = adapter.Info(LoraAdapter.PeftName(module, 'A'));
            _ = adapter.Info(LoraAdapter.PeftName(module, 'B'));
        }
        var expected = targets.SelectMany(m => new[] { LoraAdapter.PeftName(m, 'A'), LoraAdapter.PeftName(m, 'B') }).ToHashSet(StringComparer.Ordinal);
        var unknown = adapter.Header.Tensors.Keys.FirstOrDefault(k => !expected.Contains(k));
        if (unknown is not null)
            throw new LoraFormatException($"{adapter.Path}: tensor '{unknown}' belongs to no module adapter_config.json targets in this model.");
    }
}
