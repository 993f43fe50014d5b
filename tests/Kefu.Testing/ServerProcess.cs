using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Kefu.Testing;

/// <summary>
/// A server (Kefu.Server.dll or kefu.dll) run as its own process, for tests that need what only a real process has:
/// signals, exit codes, the command line's own hosting. Captures stdout and stderr for failure messages; kills the
/// process on dispose if the test left it running.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private const int Sigterm = 15;
    private readonly StringBuilder _log = new();

    private ServerProcess(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    /// <summary>Everything the process printed so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    /// <summary>Starts <c>dotnet DLL ARGUMENTS</c> with the same dotnet host that runs the tests.</summary>
    public static ServerProcess Start(string dll, string workingDirectory, IEnumerable<string> arguments)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        return new ServerProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start {dll}"));
    }

    /// <summary>A loopback port free at the moment of asking.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The content deltas of an OpenAI chat-completions event stream, concatenated.</summary>
    public static string OpenAiStreamContent(string events)
    {
        ArgumentNullException.ThrowIfNull(events);
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

    /// <summary>Polls <paramref name="healthPath"/> until it answers 2xx; fails the test if the process exits or time runs out.</summary>
    public async Task WaitUntilUpAsync(HttpClient http, string healthPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            if (Process.HasExited)
                Assert.Fail($"the server exited with {Process.ExitCode} before answering:\n{Log}");
            try
            {
                using var health = await http.GetAsync(new Uri(healthPath, UriKind.Relative), cancellationToken).ConfigureAwait(false);
                if (health.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
        Assert.Fail($"the server did not answer {healthPath} within {timeout.TotalSeconds:F0} s:\n{Log}");
    }

    /// <summary>Sends SIGTERM, what systemd, Docker and Kubernetes send to stop a service; true when delivered.</summary>
    public bool Terminate() => Kill(Process.Id, Sigterm) == 0;

    public void Dispose()
    {
        if (!Process.HasExited)
            Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }

    private void Append(string? line)
    {
        lock (_log)
            _log.AppendLine(line);
    }

    // DllImport rather than LibraryImport: the generated marshaller needs unsafe code, and two ints need none.
    [DllImport("libc", EntryPoint = "kill")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
