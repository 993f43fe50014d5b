using System.Diagnostics;
using System.Net;
using System.Text;
using Kefu.LoadTesting;
using Shouldly;
using Xunit;

namespace Kefu.Testing.Server;

/// <summary>
/// The SIGTERM drain check of a server run as its own process (Kefu.Server.dll, or kefu.dll for <c>kefu serve</c>):
/// a streamed answer from a slow fake model is under way when SIGTERM arrives — what systemd, Docker and Kubernetes
/// send — and still the customer gets the whole answer and <c>[DONE]</c>, and the process exits 0.
/// </summary>
public static class SigtermDrain
{
    /// <summary>The API key the server process must be started with.</summary>
    public const string ApiKey = "drain-test-key";

    /// <summary>
    /// Starts the fake model and <c>dotnet <paramref name="dll"/></c> with the arguments <paramref name="arguments"/>
    /// makes of (port, data folder, model address), waits for <paramref name="healthPath"/>, then streams, signals and
    /// checks as above; returns how long after SIGTERM the process exited. Skips off POSIX or when the DLL is absent.
    /// </summary>
    public static async Task<TimeSpan> CheckAsync(
        string dll, Func<int, string, Uri, IEnumerable<string>> arguments, string healthPath, FakeModelOptions model, TimeSpan startTimeout,
        TimeSpan exitTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(model);
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            Assert.Skip("SIGTERM is a POSIX signal.");
        if (!File.Exists(dll))
            Assert.Skip($"{dll} is absent: it cannot be started as a process.");
        await using var fake = await FakeModelServer.StartAsync(model, cancellationToken: cancellationToken).ConfigureAwait(false);
        using var data = new TempDirectory();
        var port = ServerProcess.FreeLoopbackPort();
        using var server = ServerProcess.Start(dll, data.Path, arguments(port, data.Path, fake.Address));
        using var http = InProcessKefu.Client(new Uri($"http://127.0.0.1:{port}/"), ApiKey);
        http.Timeout = startTimeout;
        await server.WaitUntilUpAsync(http, healthPath, startTimeout, cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent("""{"stream":true,"messages":[{"role":"user","content":"你们几点发货"}]}""", Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        var first = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        first.ShouldNotBeNull().ShouldStartWith("data:");

        // The answer is under way, the model still decoding: the orchestrator asks the server to stop.
        var signalled = Stopwatch.GetTimestamp();
        server.Terminate().ShouldBeTrue();
        var rest = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await server.Process.WaitForExitAsync(cancellationToken).WaitAsync(exitTimeout, cancellationToken).ConfigureAwait(false);
        var exited = Stopwatch.GetElapsedTime(signalled);

        ServerProcess.OpenAiStreamContent(first + "\n" + rest).ShouldBe(FakeModelServer.ReplyText(model.ReplyTokens), server.Log);
        rest.TrimEnd().ShouldEndWith("data: [DONE]");
        server.Process.ExitCode.ShouldBe(0, server.Log);
        return exited;
    }
}
