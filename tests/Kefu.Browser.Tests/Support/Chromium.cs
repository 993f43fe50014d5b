using Kefu.Testing;

namespace Kefu.Browser.Tests.Support;

/// <summary>
/// Debian's Chromium at /usr/bin/chromium, installed on first use by eng/browser/install-chromium.sh when this process
/// may (root or passwordless sudo). Tests that need it skip with the reason when it cannot be had.
/// </summary>
internal static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly Lazy<Task<string?>> Problem = new(FindProblemAsync);

    /// <summary>Makes sure Chromium is there, or skips the calling test saying what is missing.</summary>
    public static async Task<string> RequireAsync()
    {
        if (await Problem.Value.ConfigureAwait(false) is { } problem)
            Assert.Skip(problem);
        return ExecutablePath;
    }

    private static async Task<string?> FindProblemAsync()
    {
        if (!OperatingSystem.IsLinux())
            return "The browser tests use Debian's Chromium (/usr/bin/chromium); this is not Linux.";
        if (File.Exists(ExecutablePath))
            return null;
        var script = Path.Combine(SharedData.RepositoryRoot, "eng", "browser", "install-chromium.sh");
        if (!File.Exists(script))
            return $"{ExecutablePath} is missing and so is {script} to install it.";
        var timeout = TimeSpan.FromMinutes(10);
        var outcome = await InstallScript.RunAsync(script, timeout).ConfigureAwait(false);
        if (outcome.Succeeded && File.Exists(ExecutablePath))
            return null;
        return $"{ExecutablePath} is missing and {script} could not install it ({outcome.Describe(timeout)}).";
    }
}
