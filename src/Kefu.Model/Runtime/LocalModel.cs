using Kefu.Model.Chat;
using Kefu.Model.Configuration;
using Kefu.Model.Generation;
using Kefu.Model.Modules;
using Kefu.Text;
using Microsoft.Extensions.AI;
using static TorchSharp.torch;

namespace Kefu.Model.Runtime;

/// <summary>
/// A model folder loaded for use: weights, tokenizer, generator and the folder's recommended sampling settings.
/// <see cref="CreateChatClient"/> turns it into an <see cref="IChatClient"/>.
/// </summary>
public sealed class LocalModel : IDisposable
{
    private LocalModel(string directory, Qwen2ForCausalLM model, Qwen2Tokenizer tokenizer, GenerationOptions recommended)
    {
        Directory = directory;
        Model = model;
        Tokenizer = tokenizer;
        Generator = new Qwen2Generator(model);
        Recommended = recommended;
    }

    public string Directory { get; }

    public Qwen2ForCausalLM Model { get; }

    public Qwen2Tokenizer Tokenizer { get; }

    public Qwen2Generator Generator { get; }

    /// <summary>Sampling from generation_config.json (Qwen2-Instruct's defaults when the folder has none).</summary>
    public GenerationOptions Recommended { get; }

    /// <summary>Loads config, weights (see <see cref="ModelFolder.Load"/>) and tokenizer files from a model folder.</summary>
    public static LocalModel Load(string directory, ScalarType dtype = ScalarType.Float32, Device? device = null,
        Action<string>? warn = null, Action<string, int, int>? onLoaded = null)
    {
        var tokenizer = Qwen2Tokenizer.FromDirectory(directory);
        var generationConfig = Qwen2GenerationConfig.TryLoad(directory) ?? Qwen2GenerationConfig.Qwen2Instruct;
        var model = ModelFolder.Load(directory, dtype, device, warn, onLoaded);
        return new LocalModel(directory, model, tokenizer, GenerationOptions.FromGenerationConfig(generationConfig));
    }

    /// <summary>An IChatClient over this model; <paramref name="defaults"/> replaces the folder's sampling settings.</summary>
    public Qwen2ChatClient CreateChatClient(GenerationOptions? defaults = null, string? modelId = null) =>
        new(Generator, Tokenizer, new Qwen2ChatClientOptions
        {
            Defaults = defaults ?? Recommended,
            ModelId = modelId ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Directory))),
        });

    public void Dispose() => Model.Dispose();
}
