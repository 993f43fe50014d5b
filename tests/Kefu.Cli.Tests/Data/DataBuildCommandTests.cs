using System.Text.Json;
using Kefu.Cli.Tests.Support;
using Kefu.Testing;

namespace Kefu.Cli.Tests.Data;

public sealed class DataBuildCommandTests : IDisposable
{
    private readonly SmallDataset _data = new();
    private readonly TempDirectory _out = new();

    public void Dispose()
    {
        _data.Dispose();
        _out.Dispose();
    }

    [Fact]
    public async Task Build_SmallDataset_WritesTheTrainingSetReportAndLog()
    {
        var tokenizer = SharedData.RequireDirectory("qwen2-tokenizer");

        var (exitCode, output) = await CliRun.RunAsync("data", "build", _data.Path, "--tokenizer", tokenizer, "--out", _out.Path,
            "--size", "5-100", "--eval-fraction", "0.2", "--seed", "7");

        exitCode.ShouldBe(0, output);
        output.ShouldContain("wrote 7 files");
        foreach (var name in new[] { "train.jsonl", "eval.jsonl", "dataset.json", "report.json", "report.md", "token-lengths.png", "build.log.jsonl" })
            File.Exists(_out.File(name)).ShouldBeTrue(name);
        var info = JsonDocument.Parse(File.ReadAllText(_out.File("dataset.json"))).RootElement;
        info.GetProperty("seed").GetInt32().ShouldBe(7);
        var first = JsonDocument.Parse(File.ReadLines(_out.File("train.jsonl")).First()).RootElement;
        first.GetProperty("loss_mask").GetString()!.Length.ShouldBe(first.GetProperty("input_ids").GetArrayLength());
        File.ReadLines(_out.File("build.log.jsonl")).Last().ShouldContain("\"event\":\"build.succeeded\"");
    }

    [Fact]
    public async Task Build_DataWithErrors_ExitsOneWithTheSameMessagesAsValidateAndWritesOnlyTheLog()
    {
        var tokenizer = SharedData.RequireDirectory("qwen2-tokenizer");
        _data.Write("faq.csv", "question,answer\n几点发货？,\n");

        var (exitCode, output) = await CliRun.RunAsync("data", "build", _data.Path, "--tokenizer", tokenizer, "--out", _out.Path);

        exitCode.ShouldBe(1);
        output.ShouldContain("faq.csv:2: error KD012 field 'answer': empty answer");
        output.ShouldContain("build failed");
        Directory.GetFiles(_out.Path).Select(Path.GetFileName).ShouldBe(["build.log.jsonl"]);
    }

    [Theory]
    [InlineData("--mix", "60:40")]
    [InlineData("--size", "500-200")]
    [InlineData("--eval-fraction", "1.5")]
    public async Task Build_MalformedOption_IsRejectedBeforeAnythingRuns(string option, string value)
    {
        var (exitCode, output) = await CliRun.RunAsync("data", "build", _data.Path, "--tokenizer", _out.Path, "--out", _out.File("o"), option, value);

        exitCode.ShouldNotBe(0);
        output.ShouldContain(option);
        Directory.Exists(_out.File("o")).ShouldBeFalse();
    }

    [Fact]
    public async Task Build_WithoutRequiredOptions_IsAParseError()
    {
        var (exitCode, output) = await CliRun.RunAsync("data", "build", _data.Path);

        exitCode.ShouldNotBe(0);
        output.ShouldContain("--tokenizer");
    }
}
