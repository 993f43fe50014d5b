using System.CommandLine;
using Spectre.Console;

namespace Kefu.Cli.Commands.Model;

/// <summary>
/// The console a model command writes to: the terminal, or a plain non-interactive console over the writer a test
/// passed in <see cref="InvocationConfiguration.Output"/>.
/// </summary>
internal static class ModelConsole
{
    public static IAnsiConsole For(ParseResult parseResult)
    {
        var output = parseResult.InvocationConfiguration.Output;
        if (output is null || ReferenceEquals(output, Console.Out))
            return AnsiConsole.Console;
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
    }

    /// <summary>An error line in the usual "kefu: error: …" form.</summary>
    public static void Error(this IAnsiConsole console, string message) =>
        console.MarkupLine($"[red]kefu: error:[/] {Markup.Escape(message)}");
}
