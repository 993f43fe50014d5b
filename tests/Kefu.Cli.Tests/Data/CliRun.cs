using System.CommandLine;

namespace Kefu.Cli.Tests.Data;

/// <summary>Runs the real <c>kefu</c> command tree in-process and captures what it prints.</summary>
internal static class CliRun
{
    public static async Task<(int ExitCode, string Output)> InvokeAsync(params string[] args)
    {
        using var output = new StringWriter();
        var configuration = new InvocationConfiguration { Output = output, Error = output };
        var exitCode = await KefuCommandLine.Build().Parse(args).InvokeAsync(configuration, TestContext.Current.CancellationToken);
        return (exitCode, output.ToString());
    }
}
