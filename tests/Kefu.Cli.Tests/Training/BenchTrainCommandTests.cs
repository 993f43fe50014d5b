using System.Text.Json;
using Kefu.Cli.Tests.Support;
using Kefu.Testing;

namespace Kefu.Cli.Tests.Training;

public sealed class BenchTrainCommandTests
{
    [Fact]
    public async Task BenchTrain_TinyModel_PrintsTokensFlopsMfuAndMemoryForBothCheckpointingModes()
    {
        using var temp = new TempDirectory();
        TinyTrainingFiles.WriteModel(temp.File("model"));

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
        TinyTrainingFiles.WriteModel(temp.File("model"));
        // 6..16 tokens: lengths vary, so bucketed batches carry padding.
        TinyTrainingFiles.WriteDataset(temp.File("data"), trainLengths: Enumerable.Range(0, 12).Select(i => 6 + (i * 5 % 11)), evalLengths: [6], promptTokens: 0);

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
}
