using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Kefu.LoadTesting;
using Kefu.Testing;

namespace Kefu.Cli.Tests.Operations;

/// <summary>
/// <c>kefu serve</c> as its own process, stopped with SIGTERM while a streamed answer from a slow model is under way:
/// the answer completes (System.CommandLine's own 2 s termination timeout must not cut the server's drain short) and
/// the process exits 0.
/// </summary>
public sealed class ServeShutdownTests(ITestOutputHelper output)
{
    private const string Key = "drain-test-key";
    private const int ReplyTokens = 50;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sigterm_DuringAStreamedAnswerLongerThanTwoSeconds_TheAnswerCompletesAndServeExitsZero()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            Assert.Skip("SIGTERM is a POSIX signal.");
        var kefu = Path.Combine(AppContext.BaseDirectory, "kefu.dll");
        if (!File.Exists(kefu))
            Assert.Skip($"{kefu} is absent: kefu serve cannot be started as a process.");
        // About 3.5 s of answer after the signal: longer than System.CommandLine's default termination timeout.
        await using var model = await FakeModelServer.StartAsync(new FakeModelOptions
        {
            TimeToFirstToken = TimeSpan.FromMilliseconds(500),
            TokenDelay = TimeSpan.FromMilliseconds(60),
            ReplyTokens = ReplyTokens,
        }, cancellationToken: Ct);
        using var data = new TempDirectory();
        var port = ServerProcess.FreeLoopbackPort();
        var samples = Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce");
        using var server = ServerProcess.Start(kefu, data.Path,
        [
            "serve", "--demo", "--samples", samples, "--urls", $"http://127.0.0.1:{port}", "--api-key", Key, "--data-dir", data.Path,
            "--backend", model.Address.ToString(), "--backend-model", "fake-qwen2",
        ]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        await server.WaitUntilUpAsync(http, "readyz", TimeSpan.FromSeconds(90), Ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent("""{"stream":true,"messages":[{"role":"user","content":"你们几点发货"}]}""", Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        var first = await reader.ReadLineAsync(Ct);

        var signalled = Stopwatch.GetTimestamp();
        server.Terminate().ShouldBeTrue();
        var rest = await reader.ReadToEndAsync(Ct);
        await server.Process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(45), Ct);

        output.WriteLine($"answer drained and kefu serve exited {Stopwatch.GetElapsedTime(signalled).TotalSeconds:F1} s after SIGTERM");
        ServerProcess.OpenAiStreamContent(first + "\n" + rest).ShouldBe(FakeModelServer.ReplyText(ReplyTokens), server.Log);
        rest.TrimEnd().ShouldEndWith("data: [DONE]");
        server.Process.ExitCode.ShouldBe(0, server.Log);
    }
}
