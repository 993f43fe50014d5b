using System.Text.Json;
using Kefu.Learning.Training;
using Kefu.Model.Configuration;
using Kefu.Model.Lora;
using Kefu.Model.Modules;
using Kefu.Model.Runtime;
using Kefu.Training.Running;
using static TorchSharp.torch;

namespace Kefu.Learning.Tests.Support;

/// <summary>
/// A tiny random Qwen2 (vocabulary 64) with six token-level question → answer pairs in kefu-sft/1, and two adapters
/// built deliberately: "good" trained on the pairs until greedy decoding answers all six, "bad" with large random B
/// matrices so it answers none. Built once per test class (training takes a few seconds).
/// </summary>
public sealed class TinyLearningSetup : IDisposable
{
    public const int Vocab = 64, Start = 1, Separator = 2, End = 3;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "kefu-learn-" + Guid.NewGuid().ToString("N")[..10]);

    public TinyLearningSetup()
    {
        Directory.CreateDirectory(_root);
        using (var model = new Qwen2ForCausalLM(Config()))
        {
            Qwen2WeightInit.Initialize(model, 7, std: 0.2, perturbNormsAndBiases: true);
            ModelFolder.Save(model, ModelDirectory);
        }
        Pairs = MakePairs(6, seed: 5);
        WriteSft(SftDirectory, Pairs);
        new AdapterContinuation(ModelDirectory, FastRecipe).TrainFromRendered(null, SftDirectory, GoodAdapter, CancellationToken.None);
        WriteBadAdapter(BadAdapter);
    }

    public string ModelDirectory => Path.Combine(_root, "model");
    public string SftDirectory => Path.Combine(_root, "sft");
    public string GoodAdapter => Path.Combine(_root, "good");
    public string BadAdapter => Path.Combine(_root, "bad");
    public IReadOnlyList<(int[] Question, int[] Answer)> Pairs { get; }

    /// <summary>Enough steps at a high rate for a tiny model to memorise six pairs.</summary>
    public static TrainingRecipe FastRecipe { get; } = TrainingRecipes.Default with
    {
        LearningRate = 1e-2, Epochs = 120, BatchSize = 3, GradientAccumulation = 1, WarmupRatio = 0.05, EvalEvery = 0, SaveEvery = 0,
        Lora = new LoraSettings { Rank = 16, Alpha = 32, Dropout = 0 },
    };

    public static Qwen2Config Config() => new()
    {
        VocabSize = Vocab, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeadsRaw = 2,
        MaxPositionEmbeddings = 256, TieWordEmbeddings = true, SlidingWindow = null, MaxWindowLayers = null,
    };

    private static List<(int[], int[])> MakePairs(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (
            Enumerable.Range(0, random.Next(3, 6)).Select(_ => random.Next(4, Vocab)).ToArray(),
            Enumerable.Range(0, random.Next(4, 7)).Select(_ => random.Next(4, Vocab)).ToArray()))];
    }

    private static void WriteSft(string directory, IReadOnlyList<(int[] Question, int[] Answer)> pairs)
    {
        Directory.CreateDirectory(directory);
        var lines = pairs.Select((p, i) =>
        {
            int[] ids = [Start, .. p.Question, Separator, .. p.Answer, End];
            var mask = new string([.. ids.Select((_, position) => position > p.Question.Length + 1 ? '1' : '0')]);
            return JsonSerializer.Serialize(new { id = $"pair-{i}", category = "dialogue", source = "test", messages = Array.Empty<object>(), input_ids = ids, loss_mask = mask });
        }).ToList();
        File.WriteAllLines(Path.Combine(directory, "train.jsonl"), lines);
        File.WriteAllLines(Path.Combine(directory, "eval.jsonl"), lines.Take(1));
        File.WriteAllText(Path.Combine(directory, "dataset.json"), JsonSerializer.Serialize(new
        {
            format = "kefu-sft/1",
            tokenizer = new { vocab_size = Vocab, end_of_text_id = End, im_start_id = Start, im_end_id = End },
            cutoff = 64,
        }));
    }

    private void WriteBadAdapter(string directory)
    {
        using var model = ModelFolder.Load(ModelDirectory, ScalarType.Float32, null, null);
        using var adapter = LoraAdapter.Attach(model, FastRecipe.ToLoraConfig(ModelDirectory), seed: 3);
        using (no_grad())
        {
            foreach (var (_, layer) in adapter.Layers)
                layer.lora_B.copy_(randn(layer.lora_B.shape, generator: new TorchSharp.torch.Generator(11)) * 2.0);
        }
        adapter.Save(directory);
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { /* best effort */ }
    }
}
