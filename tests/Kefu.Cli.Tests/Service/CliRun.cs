using System.CommandLine;

namespace Kefu.Cli.Tests.Service;

/// <summary>Runs the real <c>kefu</c> command tree in-process, capturing standard output and error apart.</summary>
internal static class CliRun
{
    public static async Task<(int ExitCode, string Output, string Error)> InvokeAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        var exitCode = await KefuCommandLine.Build().Parse(args).InvokeAsync(configuration, TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }
}
