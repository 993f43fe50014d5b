using System.Text.Json;
using Kefu.Cli.Tests.Support;
using Kefu.Export.Gguf;
using Kefu.Model.Configuration;
using Kefu.Model.Modules;
using Kefu.Model.Quantization;
using Kefu.Model.Runtime;
using Kefu.Testing;
using static TorchSharp.torch;

namespace Kefu.Cli.Tests.Model;

public sealed class QuantizeAndExportCommandTests
{
    [Fact]
    public async Task Quantize_WithReport_WritesAGptqFolderThatLoadsAndComparesThreeVariants()
    {
        using var temp = new TempDirectory();
        TinyTrainingFiles.WriteModel(temp.File("model"));
        TinyTrainingFiles.WriteDataset(temp.File("data"), trainLengths: Enumerable.Repeat(16, 6), evalLengths: [16, 16], promptTokens: 8);

        var (exit, output) = await CliRun.RunAsync("quantize", "--model", temp.File("model"), "--data", temp.File("data"), "--out", temp.File("gptq"),
            "--group-size", "32", "--samples", "4", "--report", "--eval-examples", "2", "--dtype", "float32");

        exit.ShouldBe(0, output);
        File.Exists(temp.File("gptq/quantize_config.json")).ShouldBeTrue();
        var report = File.ReadAllText(temp.File("gptq/quantization_report.md"));
        report.ShouldContain("| GPTQ int4 |");
        report.ShouldContain("| RTN int4 |");
        using var json = JsonDocument.Parse(File.ReadAllText(temp.File("gptq/quantization_report.json")));
        var variants = json.RootElement.GetProperty("variants");
        variants.GetArrayLength().ShouldBe(3);
        // The int4 layers hold less than the float32 ones (≈ 4.5 bits + scales per weight against 32).
        variants[1].GetProperty("linear_weight_bytes").GetInt64().ShouldBeLessThan(variants[0].GetProperty("linear_weight_bytes").GetInt64() / 4);
        using var loaded = ModelFolder.Load(temp.File("gptq"));
        loaded.NamedLinears().Count(l => l.Value is GptqLinear).ShouldBe(14);
        Directory.GetDirectories(temp.Path).Where(d => Path.GetFileName(d).StartsWith('.')).ShouldBeEmpty("the RTN comparison folder is removed");
    }

    [Fact]
    public async Task Quantize_UnknownMethod_FailsNamingTheChoices()
    {
        using var temp = new TempDirectory();
        var (exit, output) = await CliRun.RunAsync("quantize", "--model", temp.File("m"), "--data", temp.File("d"), "--out", temp.File("o"), "--method", "awq");
        exit.ShouldBe(2);
        output.ShouldContain("use gptq or rtn");
    }

    [Fact]
    public async Task ExportGgufAndOllama_TinyModel_WriteALoadableGgufAndAModelfileWithTheShopPrompt()
    {
        var tokenizer = SharedData.RequireDirectory("qwen2-tokenizer");
        var shop = Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce", "kefu-data.json");
        if (!File.Exists(shop))
            Assert.Skip("samples/ecommerce/kefu-data.json is absent.");
        using var temp = new TempDirectory();
        using (var model = new Qwen2ForCausalLM(Qwen2Shapes.Get("tiny"), ScalarType.Float32, CPU))
        {
            Qwen2WeightInit.Initialize(model, seed: 1);
            ModelFolder.Save(model, temp.File("model"));
        }
        File.Copy(Path.Combine(tokenizer, "vocab.json"), temp.File("model/vocab.json"));
        File.Copy(Path.Combine(tokenizer, "merges.txt"), temp.File("model/merges.txt"));

        var (exit, output) = await CliRun.RunAsync("export", "gguf", "--model", temp.File("model"), "--out", temp.File("out/model.gguf"), "--type", "q4_0");
        exit.ShouldBe(0, output);
        var (ollamaExit, ollamaOutput) = await CliRun.RunAsync("export", "ollama", "--gguf", "./model.gguf", "--shop", shop, "--out", temp.File("out/Modelfile"));
        ollamaExit.ShouldBe(0, ollamaOutput);

        var gguf = GgufFile.Read(temp.File("out/model.gguf"));
        gguf["general.file_type"].AsInteger().ShouldBe(2);
        gguf.Tensor("blk.1.attn_output.weight").Type.ShouldBe(GgmlType.Q4_0);
        var modelfile = File.ReadAllText(temp.File("out/Modelfile"));
        modelfile.ShouldStartWith("FROM ./model.gguf\n");
        modelfile.ShouldContain("SYSTEM \"\"\"你是青禾优选的智能客服小禾");
    }
}
