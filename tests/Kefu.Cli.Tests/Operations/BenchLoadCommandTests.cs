using System.Text.Json;
using Kefu.Cli.Tests.Support;
using Kefu.Testing;

namespace Kefu.Cli.Tests.Operations;

public sealed class BenchLoadCommandTests
{
    [Fact]
    public async Task BenchLoad_SmallRetrievalRun_PrintsTheTableWritesTheHistogramAndLosesNothing()
    {
        using var temp = new TempDirectory();
        var samples = Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce");

        var result = await CliRun.RunSplitAsync("bench", "load", "--sessions", "5", "--turns", "2", "--samples", samples,
            "--png", temp.File("latency.png"), "--json", temp.File("load.json"));

        result.ExitCode.ShouldBe(0, result.Output + result.Error);
        result.Output.ShouldContain("latency p50 / p95 / p99");
        result.Output.ShouldContain("log: lost / duplicated");
        new FileInfo(temp.File("latency.png")).Length.ShouldBeGreaterThan(1000);
        using var figures = JsonDocument.Parse(File.ReadAllText(temp.File("load.json")));
        figures.RootElement.GetProperty("served").GetInt32().ShouldBe(10);
        figures.RootElement.GetProperty("log").GetProperty("lost").GetInt32().ShouldBe(0);
        figures.RootElement.GetProperty("log").GetProperty("duplicated").GetInt32().ShouldBe(0);
        figures.RootElement.GetProperty("log").GetProperty("messages").GetInt32().ShouldBe(10);
    }

    [Fact]
    public async Task BenchLoad_FakeModelStreamed_MeasuresTheTimeToFirstToken()
    {
        using var temp = new TempDirectory();
        var samples = Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce");

        var result = await CliRun.RunSplitAsync("bench", "load", "--sessions", "4", "--turns", "2", "--mode", "model", "--stream",
            "--ttft-ms", "50", "--token-ms", "5", "--reply-tokens", "10", "--samples", samples, "--png", temp.File("latency.png"), "--json", temp.File("load.json"));

        result.ExitCode.ShouldBe(0, result.Output + result.Error);
        result.Output.ShouldContain("first token p50 / p95 / p99");
        using var figures = JsonDocument.Parse(File.ReadAllText(temp.File("load.json")));
        figures.RootElement.GetProperty("first_token_ms").GetProperty("p50").GetDouble().ShouldBeGreaterThanOrEqualTo(50);
    }

    [Fact]
    public async Task BenchLoad_TargetWithoutApiKey_IsRejected()
    {
        var result = await CliRun.RunSplitAsync("bench", "load", "--target", "http://127.0.0.1:9");

        result.ExitCode.ShouldBe(2);
        result.Output.ShouldContain("--api-key");
    }
}
