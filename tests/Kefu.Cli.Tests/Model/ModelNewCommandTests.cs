using Kefu.Cli.Tests.Support;
using Kefu.Model.Configuration;
using Kefu.Model.Runtime;
using Kefu.Model.Safetensors;
using Kefu.Testing;

namespace Kefu.Cli.Tests.Model;

public sealed class ModelNewCommandTests
{
    [Fact]
    public async Task New_TinyShape_WritesALoadableFolder_AndTheSameSeedGivesTheSameWeights()
    {
        using var temp = new TempDirectory();
        var first = temp.File("a");
        var second = temp.File("b");

        var (exitCode, output) = await CliRun.RunAsync("model", "new", "--shape", "tiny", "--out", first, "--seed", "7");
        await CliRun.RunAsync("model", "new", "--shape", "tiny", "--out", second, "--seed", "7");

        exitCode.ShouldBe(0, output);
        output.ShouldContain("Created");
        Directory.GetFiles(first).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .ShouldBe(["config.json", "generation_config.json", "model.safetensors"]);
        Directory.GetDirectories(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["a", "b"]);
        using var model = ModelFolder.Load(first);
        model.Config.HiddenSize.ShouldBe(Qwen2Shapes.Get("tiny").HiddenSize);
        File.ReadAllBytes(Path.Combine(first, "model.safetensors")).ShouldBe(File.ReadAllBytes(Path.Combine(second, "model.safetensors")));
    }

    [Fact]
    public async Task New_WithSmallShardSize_WritesShardsAndAnIndex()
    {
        using var temp = new TempDirectory();
        var folder = temp.File("m");

        var (exitCode, output) = await CliRun.RunAsync("model", "new", "--shape", "tiny", "--out", folder, "--shard-size", "10MB", "--dtype", "bfloat16");

        exitCode.ShouldBe(0, output);
        File.Exists(Path.Combine(folder, SafetensorsIndex.FileName)).ShouldBeTrue();
        Directory.GetFiles(folder, "model-*-of-*.safetensors").Length.ShouldBeGreaterThan(1);
        Qwen2Config.Load(folder).TorchDtype.ShouldBe("bfloat16");
        using var model = ModelFolder.Load(folder);
        model.ParameterCount.ShouldBeGreaterThan(9_000_000);
    }

    [Fact]
    public async Task New_IntoAFolderThatIsNotEmpty_RefusesWithoutForce()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("keep.txt"), "mine");

        var (refused, message) = await CliRun.RunAsync("model", "new", "--shape", "tiny", "--out", temp.Path);
        File.Exists(temp.File("keep.txt")).ShouldBeTrue();
        var (forced, _) = await CliRun.RunAsync("model", "new", "--shape", "tiny", "--out", temp.Path, "--force");

        refused.ShouldBe(1);
        message.ShouldContain("--force");
        forced.ShouldBe(0);
        File.Exists(temp.File("keep.txt")).ShouldBeFalse();
        File.Exists(temp.File("config.json")).ShouldBeTrue();
    }

    [Fact]
    public async Task New_UnknownShape_ListsTheShapes()
    {
        using var temp = new TempDirectory();

        var (exitCode, output) = await CliRun.RunAsync("model", "new", "--shape", "3b", "--out", temp.File("m"));

        exitCode.ShouldBe(2);
        output.ShouldContain("tiny, 0.5b, 1.5b, 7b");
        Directory.Exists(temp.File("m")).ShouldBeFalse();
    }

    [Fact]
    public async Task New_WithTokenizer_CopiesItsFiles()
    {
        var tokenizer = SharedData.RequireDirectory("qwen2-tokenizer");
        using var temp = new TempDirectory();
        var folder = temp.File("m");

        var (exitCode, output) = await CliRun.RunAsync("model", "new", "--shape", "tiny", "--out", folder, "--tokenizer", tokenizer);

        exitCode.ShouldBe(0, output);
        File.ReadAllBytes(Path.Combine(folder, "vocab.json")).ShouldBe(File.ReadAllBytes(Path.Combine(tokenizer, "vocab.json")));
        File.Exists(Path.Combine(folder, "merges.txt")).ShouldBeTrue();
    }
}
