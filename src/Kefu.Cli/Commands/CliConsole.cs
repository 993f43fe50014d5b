using System.CommandLine;
using Spectre.Console;

namespace Kefu.Cli.Commands;

/// <summary>
/// The console a command writes to: the real terminal, or — when the caller (a test) passed its own writer through
/// <see cref="InvocationConfiguration.Output"/> — a plain, non-interactive console over that writer.
/// </summary>
internal static class CliConsole
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

    /// <summary>Writes a line as is, never wrapped: diagnostics must stay one line each, like a compiler's.</summary>
    public static void WriteRawLine(this IAnsiConsole console, string line) => console.Profile.Out.Writer.WriteLine(line);

    /// <summary>An error line in the usual "kefu: error: …" form.</summary>
    public static void Error(this IAnsiConsole console, string message) =>
        console.MarkupLine($"[red]kefu: error:[/] {Markup.Escape(message)}");
}
