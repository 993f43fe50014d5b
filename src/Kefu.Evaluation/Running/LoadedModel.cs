using Kefu.Model.Lora;
using Kefu.Model.Runtime;
using Microsoft.Extensions.AI;
using static TorchSharp.torch;

namespace Kefu.Evaluation.Running;

/// <summary>
/// A Qwen2 model folder loaded in-process, with a LoRA adapter merged into its weights when one is given (as
/// <c>kefu chat --adapter</c> does: no per-token cost), exposed as an <see cref="IChatClient"/> with greedy decoding
/// so two evaluations of the same weights give the same replies.
/// </summary>
public sealed class LoadedModel : IDisposable
{
    private readonly LocalModel _local;

    private LoadedModel(LocalModel local, IChatClient client, string name)
    {
        _local = local;
        Client = client;
        Name = name;
    }

    public IChatClient Client { get; }

    /// <summary>"model-folder" or "model-folder + adapter-folder", for reports.</summary>
    public string Name { get; }

    public LocalModel Local => _local;

    public static LoadedModel Load(string modelDirectory, string? adapterDirectory, int maxNewTokens = 256, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        var local = LocalModel.Load(modelDirectory, dtype, device);
        try
        {
            if (adapterDirectory is not null)
            {
                using var lora = LoraAdapter.Load(local.Model, adapterDirectory);
                lora.Merge();
                lora.Detach();
            }
            var name = FolderName(modelDirectory) + (adapterDirectory is null ? "" : " + " + FolderName(adapterDirectory));
            var options = local.Recommended with { Temperature = 0, MaxNewTokens = maxNewTokens };
            return new LoadedModel(local, local.CreateChatClient(options, name), name);
        }
        catch
        {
            local.Dispose();
            throw;
        }
    }

    private static string FolderName(string directory) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));

    public void Dispose() => _local.Dispose();
}
