using System.Diagnostics;

namespace Kefu.Testing;

/// <summary>
/// Runs one of the repository's eng/*/install-*.sh scripts for a test fixture that needs a tool the machine lacks
/// (Chromium, llama.cpp): CI starts from a fresh clone, so the tests install what they use themselves.
/// </summary>
public static class InstallScript
{
    /// <summary>How a run ended: the exit code (null when it ran past the time limit) and the tail of what it printed.</summary>
    public sealed record Outcome(int? ExitCode, string Said)
    {
        public bool Succeeded => ExitCode == 0;

        /// <summary>"exit N: …" or "did not finish within …", for a skip message.</summary>
        public string Describe(TimeSpan timeout) =>
            ExitCode is { } code ? $"exit {code}: {Said}" : $"did not finish within {timeout.TotalMinutes:0} minutes (a package registry slow or unreachable?)";
    }

    public static async Task<Outcome> RunAsync(string script, TimeSpan timeout)
    {
        using var install = Process.Start(new ProcessStartInfo("bash", [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"Could not start bash for {script}.");
        var output = install.StandardOutput.ReadToEndAsync();
        var error = install.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await install.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            install.Kill(entireProcessTree: true);
            return new Outcome(null, "");
        }
        var said = ((await error.ConfigureAwait(false)) + " " + (await output.ConfigureAwait(false))).Trim();
        return new Outcome(install.ExitCode, said[^Math.Min(400, said.Length)..]);
    }
}
