using System.Text.Json;
using Kefu.Cli.Tests.Model;
using Kefu.Model.Configuration;
using Kefu.Model.Modules;
using Kefu.Model.Runtime;
using Kefu.Testing;

namespace Kefu.Cli.Tests.Training;

public sealed class TrainAndMergeCommandTests
{
    [Fact]
    public async Task Train_ThenMerge_WritesAdapterLogPlotAndALoadableMergedModel()
    {
        using var temp = new TempDirectory();
        WriteTinyModel(temp.File("model"));
        WriteDataset(temp.File("data"), vocabSize: 64);

        var (trainExit, trainOutput) = await CliRun.RunAsync("train", "--model", temp.File("model"), "--data", temp.File("data"), "--out", temp.File("out"),
            "--recipe", "seed-article", "--lr", "0.01", "--rank", "4", "--batch-size", "2", "--accumulation", "1", "--epochs", "2", "--eval-every", "2");

        trainExit.ShouldBe(0, trainOutput);
        trainOutput.ShouldContain("Recipe seed-article");
        trainOutput.ShouldContain("eval loss");
        foreach (var file in new[] { "adapter_config.json", "adapter_model.safetensors", "train_log.jsonl", "loss.png", "recipe.json" })
            File.Exists(temp.File("out/" + file)).ShouldBeTrue(file);
        File.ReadAllText(temp.File("out/adapter_config.json")).ShouldContain("\"r\": 4");

        var (mergeExit, mergeOutput) = await CliRun.RunAsync("merge", "--model", temp.File("model"), "--adapter", temp.File("out"), "--out", temp.File("merged"));
        mergeExit.ShouldBe(0, mergeOutput);
        mergeOutput.ShouldContain("Merged 6 weights");
        using var merged = ModelFolder.Load(temp.File("merged"));
        merged.Config.VocabSize.ShouldBe(64);
    }

    [Fact]
    public async Task Train_WithGradientCheckpointing_TrainsAndRecordsItInTheRecipe()
    {
        using var temp = new TempDirectory();
        WriteTinyModel(temp.File("model"));
        WriteDataset(temp.File("data"), vocabSize: 64);

        var (exit, output) = await CliRun.RunAsync("train", "--model", temp.File("model"), "--data", temp.File("data"), "--out", temp.File("out"),
            "--gradient-checkpointing", "--rank", "4", "--batch-size", "2", "--accumulation", "1", "--max-steps", "2");

        exit.ShouldBe(0, output);
        File.ReadAllText(temp.File("out/recipe.json")).ShouldContain("\"gradient_checkpointing\": true");
        File.Exists(temp.File("out/adapter_model.safetensors")).ShouldBeTrue();
    }

    [Fact]
    public async Task Train_WithPacking_PacksSamplesIntoFewerRowsAndRecordsItInTheRecipe()
    {
        using var temp = new TempDirectory();
        WriteTinyModel(temp.File("model"));
        WriteDataset(temp.File("data"), vocabSize: 64);

        // Six 12-token samples in rows of up to 36 tokens: two rows, so one step of batch 2 per epoch.
        var (exit, output) = await CliRun.RunAsync("train", "--model", temp.File("model"), "--data", temp.File("data"), "--out", temp.File("out"),
            "--packing-length", "36", "--rank", "4", "--batch-size", "2", "--accumulation", "1", "--epochs", "2");

        exit.ShouldBe(0, output);
        output.ShouldContain("Packing: 6 samples in 2 rows of up to 36 tokens");
        output.ShouldContain("Done: 2 steps");
        var recipe = File.ReadAllText(temp.File("out/recipe.json"));
        recipe.ShouldContain("\"packing\": true");
        recipe.ShouldContain("\"packing_length\": 36");
    }

    [Fact]
    public async Task Train_UnknownTargetModule_FailsWithTheChoices()
    {
        using var temp = new TempDirectory();
        WriteTinyModel(temp.File("model"));
        WriteDataset(temp.File("data"), vocabSize: 64);
        var (exit, output) = await CliRun.RunAsync("train", "--model", temp.File("model"), "--data", temp.File("data"), "--out", temp.File("out"), "--targets", "q_proj,attn_proj");
        exit.ShouldBe(2);
        output.ShouldContain("'attn_proj' matches no linear layer");
    }

    [Fact]
    public async Task Train_DatasetFromAnotherTokenizer_FailsBeforeTraining()
    {
        using var temp = new TempDirectory();
        WriteTinyModel(temp.File("model"));
        WriteDataset(temp.File("data"), vocabSize: 151665);
        var (exit, output) = await CliRun.RunAsync("train", "--model", temp.File("model"), "--data", temp.File("data"), "--out", temp.File("out"));
        exit.ShouldBe(2);
        output.ShouldContain("tokenizer.vocab_size");
        Directory.Exists(temp.File("out/checkpoints")).ShouldBeFalse();
    }

    private static void WriteTinyModel(string directory)
    {
        var config = new Qwen2Config
        {
            VocabSize = 64, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeadsRaw = 2,
            MaxPositionEmbeddings = 128, TieWordEmbeddings = true, SlidingWindow = null, MaxWindowLayers = null,
        };
        using var model = new Qwen2ForCausalLM(config);
        Qwen2WeightInit.Initialize(model, seed: 3, std: 0.2);
        ModelFolder.Save(model, directory);
    }

    private static void WriteDataset(string directory, int vocabSize)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(5);
        string Line(int i, string category)
        {
            var ids = Enumerable.Range(0, 12).Select(_ => random.Next(64)).ToArray();
            return JsonSerializer.Serialize(new { id = $"s{i}", category, input_ids = ids, loss_mask = "000000111111" });
        }
        File.WriteAllLines(Path.Combine(directory, "train.jsonl"), Enumerable.Range(0, 6).Select(i => Line(i, "knowledge")));
        File.WriteAllLines(Path.Combine(directory, "eval.jsonl"), Enumerable.Range(6, 2).Select(i => Line(i, "knowledge")));
        File.WriteAllText(Path.Combine(directory, "dataset.json"), JsonSerializer.Serialize(new { format = "kefu-sft/1", tokenizer = new { vocab_size = vocabSize } }));
    }
}
