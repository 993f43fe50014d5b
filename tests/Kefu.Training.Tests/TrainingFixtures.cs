using System.Text.Json;
using Kefu.Model.Configuration;
using Kefu.Model.Modules;
using Kefu.Model.Runtime;
using Kefu.Training.Data;
using static TorchSharp.torch;

namespace Kefu.Training.Tests;

/// <summary>A tiny random Qwen2 folder and synthetic "FAQ" training folders written in kefu-sft/1.</summary>
internal static class TrainingFixtures
{
    public const int Vocab = 64;
    public const int Start = 1;
    public const int Separator = 2;
    public const int End = 3;

    public static Qwen2Config Config() => new()
    {
        VocabSize = Vocab,
        HiddenSize = 32,
        IntermediateSize = 64,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeadsRaw = 2,
        MaxPositionEmbeddings = 256,
        TieWordEmbeddings = true,
        SlidingWindow = null,
        MaxWindowLayers = null,
    };

    public static Qwen2ForCausalLM CreateModel(long seed = 7)
    {
        var model = new Qwen2ForCausalLM(Config());
        Qwen2WeightInit.Initialize(model, seed, std: 0.2, perturbNormsAndBiases: true);
        return model;
    }

    public static void WriteModel(string directory, long seed = 7)
    {
        using var model = CreateModel(seed);
        ModelFolder.Save(model, directory);
    }

    /// <summary>
    /// <paramref name="count"/> question → answer pairs: [Start, q…, Separator, a…, End], the loss on a… and End.
    /// Questions and answers are distinct random token strings, so each answer must be learned from its question.
    /// </summary>
    public static List<SftExample> FaqPairs(int count, int seed, string category = "knowledge")
    {
        var random = new Random(seed);
        var examples = new List<SftExample>();
        for (var i = 0; i < count; i++)
        {
            var question = Enumerable.Range(0, random.Next(3, 7)).Select(_ => random.Next(4, Vocab)).ToArray();
            var answer = Enumerable.Range(0, random.Next(4, 9)).Select(_ => random.Next(4, Vocab)).ToArray();
            int[] ids = [Start, .. question, Separator, .. answer, End];
            var mask = ids.Select((_, position) => position > question.Length + 1).ToArray();
            examples.Add(new SftExample($"{category}-{i}", category, ids, mask));
        }
        return examples;
    }

    public static void WriteDataset(string directory, IReadOnlyList<SftExample> train, IReadOnlyList<SftExample> eval, int vocabSize = Vocab)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllLines(Path.Combine(directory, "train.jsonl"), train.Select(Line));
        File.WriteAllLines(Path.Combine(directory, "eval.jsonl"), eval.Select(Line));
        File.WriteAllText(Path.Combine(directory, "dataset.json"), JsonSerializer.Serialize(new
        {
            format = "kefu-sft/1",
            tokenizer = new { vocab_size = vocabSize, end_of_text_id = End, im_start_id = Start, im_end_id = End },
            cutoff = 64,
        }));
    }

    public static string Line(SftExample example) => JsonSerializer.Serialize(new
    {
        id = example.Id,
        category = example.Category,
        source = "test",
        messages = Array.Empty<object>(),
        input_ids = example.InputIds,
        loss_mask = new string(example.LossMask.Select(m => m ? '1' : '0').ToArray()),
    });

    public static double MaxDifference(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return (a.to(ScalarType.Float64) - b.to(ScalarType.Float64)).abs().max().item<double>();
    }
}
