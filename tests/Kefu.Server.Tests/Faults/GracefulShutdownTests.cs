using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Kefu.LoadTesting;
using Kefu.Testing;

namespace Kefu.Server.Tests.Faults;

/// <summary>
/// SIGTERM (what systemd, Docker and Kubernetes send) drains the server: a real server process, a streamed answer in
/// flight from a slow model, SIGTERM mid-answer — the customer still gets the whole answer and <c>[DONE]</c>, and the
/// process exits 0.
/// </summary>
public sealed class GracefulShutdownTests(ITestOutputHelper output)
{
    private const string Key = "drain-test-key";
    private const int ReplyTokens = 30;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sigterm_DuringAStreamedAnswer_TheAnswerCompletesAndTheProcessExitsZero()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            Assert.Skip("SIGTERM is a POSIX signal.");
        var serverDll = Path.Combine(AppContext.BaseDirectory, "Kefu.Server.dll");
        if (!File.Exists(serverDll))
            Assert.Skip($"{serverDll} is absent: the server process cannot be started.");
        await using var model = await FakeModelServer.StartAsync(new FakeModelOptions
        {
            TimeToFirstToken = TimeSpan.FromMilliseconds(300),
            TokenDelay = TimeSpan.FromMilliseconds(60),
            ReplyTokens = ReplyTokens,
        }, cancellationToken: Ct);
        using var data = new TempDirectory();
        var port = ServerProcess.FreeLoopbackPort();
        using var server = ServerProcess.Start(serverDll, data.Path,
        [
            $"--Kefu:ApiKey={Key}", $"--Kefu:DataDirectory={data.Path}", $"--Kefu:Urls=http://127.0.0.1:{port}",
            $"--Kefu:BackendUrl={model.Address}", "--Kefu:BackendModel=fake-qwen2",
        ]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        await server.WaitUntilUpAsync(http, "healthz", TimeSpan.FromSeconds(60), Ct);

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent("""{"stream":true,"messages":[{"role":"user","content":"你们几点发货"}]}""", Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        var first = await reader.ReadLineAsync(Ct);
        first.ShouldNotBeNull().ShouldStartWith("data:");

        // The answer is under way (the model needs ~2 s more): the orchestrator asks the server to stop.
        var signalled = Stopwatch.GetTimestamp();
        server.Terminate().ShouldBeTrue();
        var rest = await reader.ReadToEndAsync(Ct);

        ServerProcess.OpenAiStreamContent(first + "\n" + rest).ShouldBe(FakeModelServer.ReplyText(ReplyTokens));
        rest.TrimEnd().ShouldEndWith("data: [DONE]");
        await server.Process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct);
        output.WriteLine($"drained the answer and exited {Stopwatch.GetElapsedTime(signalled).TotalSeconds:F1} s after SIGTERM");
        server.Process.ExitCode.ShouldBe(0, server.Log);
    }
}
