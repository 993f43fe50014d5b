using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
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
    private const int Sigterm = 15;
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
        var port = FreePort();
        var samples = Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce");
        using var process = Start(kefu, data.Path,
            "serve", "--demo", "--samples", samples, "--urls", $"http://127.0.0.1:{port}", "--api-key", Key, "--data-dir", data.Path,
            "--backend", model.Address.ToString(), "--backend-model", "fake-qwen2");
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
            await WaitUntilUpAsync(http, process, log);
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
            {
                Content = new StringContent("""{"stream":true,"messages":[{"role":"user","content":"你们几点发货"}]}""", Encoding.UTF8, "application/json"),
            };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
            var first = await reader.ReadLineAsync(Ct);

            var signalled = Stopwatch.GetTimestamp();
            Kill(process.Id, Sigterm).ShouldBe(0);
            var rest = await reader.ReadToEndAsync(Ct);
            await process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(45), Ct);

            output.WriteLine($"answer drained and kefu serve exited {Stopwatch.GetElapsedTime(signalled).TotalSeconds:F1} s after SIGTERM");
            Content(first + "\n" + rest).ShouldBe(FakeModelServer.ReplyText(ReplyTokens), log.ToString());
            rest.TrimEnd().ShouldEndWith("data: [DONE]");
            process.ExitCode.ShouldBe(0, log.ToString());
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }

    private static Process Start(string dll, string workingDirectory, params string[] arguments)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException("could not start kefu");
    }

    private static async Task WaitUntilUpAsync(HttpClient http, Process process, StringBuilder log)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited)
                Assert.Fail($"kefu serve exited with {process.ExitCode} before answering:\n{log}");
            try
            {
                using var health = await http.GetAsync("readyz", Ct);
                if (health.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200, Ct);
        }
        Assert.Fail($"kefu serve was not ready within 90 s:\n{log}");
    }

    private static string Content(string events)
    {
        var text = new StringBuilder();
        foreach (var line in events.Split('\n'))
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal) || line.Contains("[DONE]", StringComparison.Ordinal))
                continue;
            using var chunk = JsonDocument.Parse(line["data:".Length..]);
            if (chunk.RootElement.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var content))
                text.Append(content.GetString());
        }
        return text.ToString();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // DllImport rather than LibraryImport: the generated marshaller needs unsafe code, and two ints need none.
    [DllImport("libc", EntryPoint = "kill")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
