using System.CommandLine;

namespace Kefu.Cli.Tests.Support;

/// <summary>Runs the real <c>kefu</c> command tree in-process and captures what it prints.</summary>
internal static class CliRun
{
    /// <summary>Runs <c>kefu ARGS</c>; standard output and error together, in the order printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var exitCode = await InvokeAsync(args, output, output);
        return (exitCode, output.ToString());
    }

    /// <summary>Runs <c>kefu ARGS</c>, capturing standard output and error apart.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunSplitAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await InvokeAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error) =>
        KefuCommandLine.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
}
