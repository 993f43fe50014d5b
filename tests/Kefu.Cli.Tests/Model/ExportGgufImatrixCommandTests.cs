using Kefu.Cli.Tests.Support;
using Kefu.Export.Gguf;
using Kefu.Model.Configuration;
using Kefu.Model.Modules;
using Kefu.Model.Runtime;
using Kefu.Testing;
using static TorchSharp.torch;

namespace Kefu.Cli.Tests.Model;

public sealed class ExportGgufImatrixCommandTests
{
    [Fact]
    public async Task ExportGguf_Q4_K_MWithImatrixData_WritesAnImatrixQuantizedFileWithItsProvenance()
    {
        using var temp = new TempDirectory();
        WriteModel(temp.File("model"));
        TinyTrainingFiles.WriteDataset(temp.File("data"), trainLengths: Enumerable.Repeat(24, 6), evalLengths: [16], promptTokens: 4);

        var (plainExit, plainOutput) = await CliRun.RunAsync("export", "gguf", "--model", temp.File("model"), "--out", temp.File("plain.gguf"), "--type", "q4_k_m");
        var (exit, output) = await CliRun.RunAsync("export", "gguf", "--model", temp.File("model"), "--out", temp.File("imatrix.gguf"), "--type", "q4_k_m",
            "--imatrix-data", temp.File("data"), "--imatrix-samples", "4", "--imatrix-out", temp.File("model.imatrix.gguf"));
        var (fileExit, fileOutput) = await CliRun.RunAsync("export", "gguf", "--model", temp.File("model"), "--out", temp.File("from-file.gguf"), "--type", "q4_k_m",
            "--imatrix", temp.File("model.imatrix.gguf"));

        plainExit.ShouldBe(0, plainOutput);
        exit.ShouldBe(0, output);
        output.ShouldContain("imatrix: 14 weight matrices from 4 sequences");
        var plain = GgufFile.Read(temp.File("plain.gguf"));
        var weighted = GgufFile.Read(temp.File("imatrix.gguf"));
        weighted["quantize.imatrix.chunks_count"].AsInteger().ShouldBe(4);
        weighted["quantize.imatrix.entries_count"].AsInteger().ShouldBe(14);
        weighted["quantize.imatrix.dataset"].Value.ShouldBe(Path.GetFullPath(temp.File("data")));
        weighted.ReadBytes("blk.0.ffn_down.weight").ShouldNotBe(plain.ReadBytes("blk.0.ffn_down.weight"));
        weighted.ReadBytes("token_embd.weight").ShouldBe(plain.ReadBytes("token_embd.weight"));
        fileExit.ShouldBe(0, fileOutput);
        var fromFile = GgufFile.Read(temp.File("from-file.gguf"));
        fromFile["quantize.imatrix.file"].Value.ShouldBe(Path.GetFullPath(temp.File("model.imatrix.gguf")));
        fromFile["quantize.imatrix.entries_count"].AsInteger().ShouldBe(14);
        fromFile.ReadBytes("blk.0.ffn_down.weight").ShouldNotBe(plain.ReadBytes("blk.0.ffn_down.weight"));
    }

    [Fact]
    public async Task ExportGguf_ImatrixDataWithQ8_0_FailsSayingTheTypeIgnoresIt()
    {
        using var temp = new TempDirectory();
        var (exit, output) = await CliRun.RunAsync("export", "gguf", "--model", temp.File("model"), "--out", temp.File("m.gguf"), "--type", "q8_0",
            "--imatrix-data", temp.File("data"));

        exit.ShouldBe(2, output);
        output.ShouldContain("does not use an importance matrix");
    }

    /// <summary>The tiny shape at hidden 128 / intermediate 256, so Q4_K_M has Q5_0, Q4_K and Q6_K tensors, with the real tokenizer files.</summary>
    private static void WriteModel(string directory)
    {
        var tokenizer = SharedData.RequireDirectory("qwen2-tokenizer");
        using (var model = new Qwen2ForCausalLM(Qwen2Shapes.Get("tiny") with { HiddenSize = 128, IntermediateSize = 256 }, ScalarType.Float32, CPU))
        {
            Qwen2WeightInit.Initialize(model, seed: 4, std: 0.2, perturbNormsAndBiases: true);
            ModelFolder.Save(model, directory);
        }
        File.Copy(Path.Combine(tokenizer, "vocab.json"), Path.Combine(directory, "vocab.json"));
        File.Copy(Path.Combine(tokenizer, "merges.txt"), Path.Combine(directory, "merges.txt"));
    }
}
