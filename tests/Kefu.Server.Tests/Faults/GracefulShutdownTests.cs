using Kefu.LoadTesting;
using Kefu.Testing.Server;

namespace Kefu.Server.Tests.Faults;

/// <summary>
/// SIGTERM (what systemd, Docker and Kubernetes send) drains the server: a real Kefu.Server process, a streamed
/// answer in flight from a slow model, SIGTERM mid-answer — the customer still gets the whole answer and
/// <c>[DONE]</c>, and the process exits 0. (Kefu.Cli.Tests' ServeShutdownTests checks the same of <c>kefu serve</c>,
/// whose command line adds a termination timeout of its own.)
/// </summary>
public sealed class GracefulShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sigterm_DuringAStreamedAnswer_TheAnswerCompletesAndTheProcessExitsZero()
    {
        // 30 tokens: the model needs ~2 s more when the signal comes.
        var model = new FakeModelOptions { TimeToFirstToken = TimeSpan.FromMilliseconds(300), TokenDelay = TimeSpan.FromMilliseconds(60), ReplyTokens = 30 };

        var exited = await SigtermDrain.CheckAsync(Path.Combine(AppContext.BaseDirectory, "Kefu.Server.dll"), (port, data, backend) =>
            [
                $"--Kefu:ApiKey={SigtermDrain.ApiKey}", $"--Kefu:DataDirectory={data}", $"--Kefu:Urls=http://127.0.0.1:{port}",
                $"--Kefu:BackendUrl={backend}", "--Kefu:BackendModel=fake-qwen2",
            ], "healthz", model, startTimeout: TimeSpan.FromSeconds(60), exitTimeout: TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        output.WriteLine($"drained the answer and exited {exited.TotalSeconds:F1} s after SIGTERM");
    }
}
