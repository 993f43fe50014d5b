using Kefu.Cli.Tests.Support;

namespace Kefu.Cli.Tests.Data;

public sealed class DataValidateCommandTests : IDisposable
{
    private readonly SmallDataset _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Validate_ValidFolder_ExitsZeroAndCountsCategoriesBySource()
    {
        var (exitCode, output) = await CliRun.RunAsync("data", "validate", _data.Path);

        exitCode.ShouldBe(0, output);
        output.ShouldContain("10 valid records in 2 files: 0 errors, 0 warnings");
        output.ShouldContain("note KD050");
        output.ShouldContain("manifest");
    }

    [Fact]
    public async Task Validate_EmptyAnswerAndBadJson_PrintsCompilerStyleErrorsAndExitsOne()
    {
        _data.Write("dialogues.jsonl", """
            {"id":"d-1","instruction":"几点发货？","input":"","output":"  "}
            {"id":"d-2","instruction":"包邮吗？" "output":"满59元包邮。"}

            """);

        var (exitCode, output) = await CliRun.RunAsync("data", "validate", _data.Path);

        exitCode.ShouldBe(1);
        var lines = output.Split('\n');
        lines.ShouldContain(l => l.EndsWith("dialogues.jsonl:1: error KD012 field 'output': empty answer", StringComparison.Ordinal));
        lines.ShouldContain(l => l.Contains("dialogues.jsonl:2: error KD001 invalid JSON at column", StringComparison.Ordinal));
        output.ShouldContain("2 errors");
    }

    [Fact]
    public async Task Validate_MissingPath_ExitsOne()
    {
        var (exitCode, output) = await CliRun.RunAsync("data", "validate", _data.File("nothing-here"));

        exitCode.ShouldBe(1);
        output.ShouldContain("error KD007");
    }

    [Fact]
    public async Task Validate_WithTokenizer_ChecksLengthsAgainstTheCutoff()
    {
        var tokenizer = Kefu.Testing.SharedData.RequireDirectory("qwen2-tokenizer");

        var (exitCode, output) = await CliRun.RunAsync("data", "validate", _data.Path, "--tokenizer", tokenizer, "--cutoff", "40");

        exitCode.ShouldBe(0, output);
        output.ShouldContain("warning KD021");
        output.ShouldNotContain("KD050");
    }
}
