using System.Text.Json;
using Kefu.Model.Configuration;
using Kefu.Model.Modules;
using Kefu.Model.Runtime;

namespace Kefu.Cli.Tests.Support;

/// <summary>
/// What the training, quantization and benchmark commands read, as small as they can be: a two-layer Qwen2 model
/// folder over a 64-token vocabulary, and tokenized dataset folders (train.jsonl, eval.jsonl, dataset.json) of random
/// token ids — seconds to train on a CPU.
/// </summary>
internal static class TinyTrainingFiles
{
    /// <summary>The vocabulary of <see cref="WriteModel"/>; dataset ids are drawn below it.</summary>
    public const int VocabSize = 64;

    /// <summary>Writes the tiny model (fixed seed: the same weights every run) as a model folder.</summary>
    public static void WriteModel(string directory)
    {
        var config = new Qwen2Config
        {
            VocabSize = VocabSize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeadsRaw = 2,
            MaxPositionEmbeddings = 128, TieWordEmbeddings = true, SlidingWindow = null, MaxWindowLayers = null,
        };
        using var model = new Qwen2ForCausalLM(config);
        Qwen2WeightInit.Initialize(model, seed: 3, std: 0.2);
        ModelFolder.Save(model, directory);
    }

    /// <summary>
    /// Writes a dataset folder: one knowledge sample per length in <paramref name="trainLengths"/> and
    /// <paramref name="evalLengths"/>, ids random (seed 5) below <see cref="VocabSize"/>, the first
    /// <paramref name="promptTokens"/> of each masked out of the loss; the manifest claims a tokenizer of
    /// <paramref name="declaredVocabSize"/> (another than the model's to test the mismatch check).
    /// </summary>
    public static void WriteDataset(string directory, IEnumerable<int> trainLengths, IEnumerable<int> evalLengths, int promptTokens, int declaredVocabSize = VocabSize)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(5);
        var index = 0;
        string Line(int length)
        {
            var ids = Enumerable.Range(0, length).Select(_ => random.Next(VocabSize)).ToArray();
            var mask = new string('0', promptTokens) + new string('1', length - promptTokens);
            return JsonSerializer.Serialize(new { id = $"s{index++}", category = "knowledge", input_ids = ids, loss_mask = mask });
        }
        File.WriteAllLines(Path.Combine(directory, "train.jsonl"), trainLengths.Select(Line));
        File.WriteAllLines(Path.Combine(directory, "eval.jsonl"), evalLengths.Select(Line));
        File.WriteAllText(Path.Combine(directory, "dataset.json"),
            JsonSerializer.Serialize(new { format = "kefu-sft/1", tokenizer = new { vocab_size = declaredVocabSize } }));
    }

    /// <summary>Makes a tiny model folder with <c>kefu model new --shape tiny</c> (with <paramref name="tokenizer"/>'s files when given).</summary>
    public static async Task<string> NewTinyModelAsync(string folder, string? tokenizer = null)
    {
        string[] args = tokenizer is null
            ? ["model", "new", "--shape", "tiny", "--out", folder]
            : ["model", "new", "--shape", "tiny", "--out", folder, "--tokenizer", tokenizer];
        var (exitCode, output) = await CliRun.RunAsync(args);
        exitCode.ShouldBe(0, output);
        return folder;
    }
}
