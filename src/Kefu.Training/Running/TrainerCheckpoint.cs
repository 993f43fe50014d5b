using System.Globalization;
using System.Text.Json;
using Kefu.Model.Lora;
using Kefu.Model.Safetensors;
using Kefu.Training.Optimization;

namespace Kefu.Training.Running;

/// <summary>
/// Checkpoints under OUT/checkpoints/step-NNNNNN: the adapter (PEFT layout, usable as is), optimizer.safetensors
/// (AdamW moments) and trainer_state.json. A checkpoint is written in a hidden folder and renamed into place, so a
/// crash mid-write never leaves one that looks complete.
/// </summary>
public static class TrainerCheckpoint
{
    public const string OptimizerFileName = "optimizer.safetensors";

    public static string Root(string outputDirectory) => Path.Combine(outputDirectory, "checkpoints");

    public static string Save(string outputDirectory, LoraAdapter adapter, AdamW optimizer, TrainerState state, string? baseModel)
    {
        var root = Root(outputDirectory);
        Directory.CreateDirectory(root);
        var final = Path.Combine(root, "step-" + state.GlobalStep.ToString("D6", CultureInfo.InvariantCulture));
        var temp = Path.Combine(root, ".tmp-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(temp);
        try
        {
            adapter.Save(temp, baseModel);
            SafetensorsWriter.WriteTensors(Path.Combine(temp, OptimizerFileName), optimizer.StateTensors());
            File.WriteAllText(Path.Combine(temp, TrainerState.FileName), JsonSerializer.Serialize(state, TrainingRecipe.JsonOptions) + "\n");
            if (Directory.Exists(final))
                Directory.Delete(final, recursive: true);
            Directory.Move(temp, final);
        }
        catch
        {
            Directory.Delete(temp, recursive: true);
            throw;
        }
        return final;
    }

    /// <summary>The newest complete checkpoint, or null when there is none.</summary>
    public static string? Latest(string outputDirectory)
    {
        var root = Root(outputDirectory);
        if (!Directory.Exists(root))
            return null;
        return Directory.GetDirectories(root, "step-*")
            .Where(d => File.Exists(Path.Combine(d, TrainerState.FileName)))
            .OrderBy(d => d, StringComparer.Ordinal)
            .LastOrDefault();
    }

    public static TrainerState ReadState(string checkpoint)
    {
        var path = Path.Combine(checkpoint, TrainerState.FileName);
        try
        {
            return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), TrainingRecipe.JsonOptions)
                ?? throw new InvalidDataException($"{path}: expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: line {e.LineNumber + 1}: {e.Message}", e);
        }
    }
}
