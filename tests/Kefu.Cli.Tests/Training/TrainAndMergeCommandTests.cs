using Kefu.Cli.Tests.Support;
using Kefu.Model.Runtime;
using Kefu.Testing;

namespace Kefu.Cli.Tests.Training;

public sealed class TrainAndMergeCommandTests
{
    [Fact]
    public async Task Train_ThenMerge_WritesAdapterLogPlotAndALoadableMergedModel()
    {
        using var temp = new TempDirectory();
        WriteModelAndData(temp);

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
        WriteModelAndData(temp);

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
        WriteModelAndData(temp);

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
        WriteModelAndData(temp);
        var (exit, output) = await CliRun.RunAsync("train", "--model", temp.File("model"), "--data", temp.File("data"), "--out", temp.File("out"), "--targets", "q_proj,attn_proj");
        exit.ShouldBe(2);
        output.ShouldContain("'attn_proj' matches no linear layer");
    }

    [Fact]
    public async Task Train_DatasetFromAnotherTokenizer_FailsBeforeTraining()
    {
        using var temp = new TempDirectory();
        WriteModelAndData(temp, declaredVocabSize: 151665);
        var (exit, output) = await CliRun.RunAsync("train", "--model", temp.File("model"), "--data", temp.File("data"), "--out", temp.File("out"));
        exit.ShouldBe(2);
        output.ShouldContain("tokenizer.vocab_size");
        Directory.Exists(temp.File("out/checkpoints")).ShouldBeFalse();
    }

    // The tiny model in model/, and in data/ six 12-token training samples and two for evaluation, half of each the prompt.
    private static void WriteModelAndData(TempDirectory temp, int declaredVocabSize = TinyTrainingFiles.VocabSize)
    {
        TinyTrainingFiles.WriteModel(temp.File("model"));
        TinyTrainingFiles.WriteDataset(temp.File("data"), trainLengths: Enumerable.Repeat(12, 6), evalLengths: [12, 12], promptTokens: 6, declaredVocabSize);
    }
}
