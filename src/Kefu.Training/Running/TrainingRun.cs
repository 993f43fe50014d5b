using Kefu.Model.Lora;
using Kefu.Model.Modules;
using Kefu.Model.Runtime;
using Kefu.Training.Data;
using static TorchSharp.torch;

namespace Kefu.Training.Running;

/// <summary>
/// A training run from folders, as <c>kefu train</c> makes it: the model folder loaded frozen, the dataset checked
/// against it, the recipe's adapter attached (seeded), and a <see cref="LoraTrainer"/> writing to the output folder.
/// </summary>
public sealed class TrainingRun : IDisposable
{
    private TrainingRun(Qwen2ForCausalLM model, LoraAdapter adapter, SftDataset data, LoraTrainer trainer)
    {
        Model = model;
        Adapter = adapter;
        Data = data;
        Trainer = trainer;
    }

    public Qwen2ForCausalLM Model { get; }

    public LoraAdapter Adapter { get; }

    public SftDataset Data { get; }

    public LoraTrainer Trainer { get; }

    public static TrainingRun Open(string modelDirectory, string dataDirectory, string outputDirectory, TrainingRecipe recipe,
        TrainerOptions options, ScalarType dtype = ScalarType.Float32, Device? device = null, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        recipe.Validate();
        var config = Kefu.Model.Configuration.Qwen2Config.Load(modelDirectory, warn);
        // Check the data before loading gigabytes of weights.
        var data = SftDataset.Open(dataDirectory, config, modelDirectory, warn);
        var model = ModelFolder.Load(modelDirectory, dtype, device, warn);
        try
        {
            var adapter = LoraAdapter.Attach(model, recipe.ToLoraConfig(options.BaseModelName ?? Path.GetFullPath(modelDirectory)), recipe.Seed);
            var trainer = new LoraTrainer(model, adapter, data, recipe, outputDirectory,
                options with { BaseModelName = options.BaseModelName ?? Path.GetFullPath(modelDirectory) });
            return new TrainingRun(model, adapter, data, trainer);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public TrainingSummary Run(CancellationToken cancellationToken = default) => Trainer.Run(cancellationToken);

    public void Dispose()
    {
        Adapter.Dispose();
        Model.Dispose();
    }
}
