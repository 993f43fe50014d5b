using Kefu.LoadTesting;
using Kefu.Testing;
using Kefu.Testing.Server;

namespace Kefu.Cli.Tests.Operations;

/// <summary>
/// <c>kefu serve</c> as its own process, stopped with SIGTERM while a streamed answer from a slow model is under way:
/// the answer completes (System.CommandLine's own 2 s termination timeout must not cut the server's drain short) and
/// the process exits 0. (Kefu.Server.Tests' GracefulShutdownTests checks the server's own drain, without the command line.)
/// </summary>
public sealed class ServeShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sigterm_DuringAStreamedAnswerLongerThanTwoSeconds_TheAnswerCompletesAndServeExitsZero()
    {
        // About 3.5 s of answer after the signal: longer than System.CommandLine's default termination timeout.
        var model = new FakeModelOptions { TimeToFirstToken = TimeSpan.FromMilliseconds(500), TokenDelay = TimeSpan.FromMilliseconds(60), ReplyTokens = 50 };
        var samples = Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce");

        var exited = await SigtermDrain.CheckAsync(Path.Combine(AppContext.BaseDirectory, "kefu.dll"), (port, data, backend) =>
            [
                "serve", "--demo", "--samples", samples, "--urls", $"http://127.0.0.1:{port}", "--api-key", SigtermDrain.ApiKey, "--data-dir", data,
                "--backend", backend.ToString(), "--backend-model", "fake-qwen2",
            ], "readyz", model, startTimeout: TimeSpan.FromSeconds(90), exitTimeout: TimeSpan.FromSeconds(45), TestContext.Current.CancellationToken);

        output.WriteLine($"answer drained and kefu serve exited {exited.TotalSeconds:F1} s after SIGTERM");
    }
}
