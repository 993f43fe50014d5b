using System.Text.Json;
using Kefu.Model.Configuration;
using Kefu.Model.Modules;
using Kefu.Model.Runtime;
using Kefu.Cli.Tests.Model;
using Kefu.Testing;

namespace Kefu.Cli.Tests.Training;

public sealed class BenchTrainCommandTests
{
    [Fact]
    public async Task BenchTrain_TinyModel_PrintsTokensFlopsMfuAndMemoryForBothCheckpointingModes()
    {
        using var temp = new TempDirectory();
        WriteTinyModel(temp.File("model"));

        var (exit, output) = await CliRun.RunAsync("bench", "train", "--model", temp.File("model"), "--seq", "16", "--batch-size", "2", "--steps", "1",
            "--rank", "4", "--json", temp.File("bench.json"));

        exit.ShouldBe(0, output);
        foreach (var field in new[] { "checkpointing on", "checkpointing off", "training tokens/s", "model FLOPs per step", "GEMM FLOP/s", "MFU", "peak memory (RSS)" })
            output.ShouldContain(field);
        using var json = JsonDocument.Parse(File.ReadAllText(temp.File("bench.json")));
        var runs = json.RootElement.EnumerateArray().ToList();
        runs.Count.ShouldBe(2);
        foreach (var run in runs)
        {
            run.GetProperty("TokensPerSecond").GetDouble().ShouldBeGreaterThan(0);
            run.GetProperty("GemmFlopsPerSecond").GetDouble().ShouldBeGreaterThan(0);
            run.GetProperty("Mfu").GetDouble().ShouldBeInRange(0, 1.5);
        }
        // Same synthetic batches, same seed: the two modes train identically, only the memory/compute trade differs.
        runs[0].GetProperty("FinalLoss").GetDouble().ShouldBe(runs[1].GetProperty("FinalLoss").GetDouble(), tolerance: 1e-4);
        runs[0].GetProperty("FlopsPerStep").GetProperty("Recompute").GetDouble().ShouldBeGreaterThan(0);
        runs[1].GetProperty("FlopsPerStep").GetProperty("Recompute").GetDouble().ShouldBe(0);
    }

    [Fact]
    public async Task BenchTrain_WithData_ComparesBucketedAndPackedSampleTokensPerSecond()
    {
        using var temp = new TempDirectory();
        WriteTinyModel(temp.File("model"));
        Directory.CreateDirectory(temp.File("data"));
        var random = new Random(5);
        string Line(int i)
        {
            var length = 6 + (i * 5 % 11); // 6..16 tokens: lengths vary, so bucketed batches carry padding
            var ids = Enumerable.Range(0, length).Select(_ => random.Next(64)).ToArray();
            return JsonSerializer.Serialize(new { id = $"s{i}", category = "knowledge", input_ids = ids, loss_mask = new string('1', length) });
        }
        File.WriteAllLines(temp.File("data/train.jsonl"), Enumerable.Range(0, 12).Select(Line));
        File.WriteAllLines(temp.File("data/eval.jsonl"), [Line(99)]);
        File.WriteAllText(temp.File("data/dataset.json"), JsonSerializer.Serialize(new { format = "kefu-sft/1", tokenizer = new { vocab_size = 64 } }));

        var (exit, output) = await CliRun.RunAsync("bench", "train", "--model", temp.File("model"), "--data", temp.File("data"), "--batch-size", "3",
            "--packing-length", "32", "--steps", "2", "--rank", "4", "--json", temp.File("packing.json"));

        exit.ShouldBe(0, output);
        output.ShouldContain("bucketed (batch 3)");
        output.ShouldContain("packed (1 × 32)");
        output.ShouldContain("sample tokens/s");
        using var json = JsonDocument.Parse(File.ReadAllText(temp.File("packing.json")));
        var modes = json.RootElement.EnumerateArray().ToList();
        modes.Select(m => m.GetProperty("Mode").GetString()).ShouldBe(["bucketed", "packed"]);
        modes.ShouldAllBe(m => m.GetProperty("RealTokens").GetInt64() > 0 && m.GetProperty("TimedSteps").GetInt32() == 2);

        var (badExit, badOutput) = await CliRun.RunAsync("bench", "train", "--model", temp.File("model"), "--data", temp.File("data"), "--packing-length", "8");
        badExit.ShouldBe(2);
        badOutput.ShouldContain("--packing-length 8 is shorter than the longest sample (16 tokens)");
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
}
