using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
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
    private const int Sigterm = 15;
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
        var port = FreePort();
        using var process = Start(serverDll, port, model.Address, data.Path);
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
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
            first.ShouldNotBeNull().ShouldStartWith("data:");

            // The answer is under way (the model needs ~2 s more): the orchestrator asks the server to stop.
            var signalled = Stopwatch.GetTimestamp();
            Kill(process.Id, Sigterm).ShouldBe(0);
            var rest = await reader.ReadToEndAsync(Ct);

            var content = Content(first + "\n" + rest);
            content.ShouldBe(FakeModelServer.ReplyText(ReplyTokens));
            rest.TrimEnd().ShouldEndWith("data: [DONE]");
            await process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct);
            output.WriteLine($"drained the answer and exited {Stopwatch.GetElapsedTime(signalled).TotalSeconds:F1} s after SIGTERM");
            process.ExitCode.ShouldBe(0, log.ToString());
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }

    private static Process Start(string serverDll, int port, Uri model, string dataDirectory)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        foreach (var argument in new[]
        {
            serverDll, $"--Kefu:ApiKey={Key}", $"--Kefu:DataDirectory={dataDirectory}", $"--Kefu:Urls=http://127.0.0.1:{port}",
            $"--Kefu:BackendUrl={model}", "--Kefu:BackendModel=fake-qwen2",
        })
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the server process");
    }

    private static async Task WaitUntilUpAsync(HttpClient http, Process process, StringBuilder log)
    {
        var deadline = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(deadline) < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
                Assert.Fail($"the server exited with {process.ExitCode} before answering:\n{log}");
            try
            {
                using var health = await http.GetAsync("healthz", Ct);
                if (health.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100, Ct);
        }
        Assert.Fail($"the server did not answer /healthz within 60 s:\n{log}");
    }

    /// <summary>The content deltas of an OpenAI event stream, concatenated.</summary>
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
