using System.CommandLine;
using Kefu.Cli.Commands.Model;

namespace Kefu.Cli.Commands;

/// <summary><c>kefu bench …</c>: performance measurements.</summary>
internal static class BenchCommands
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure performance.");
        bench.Subcommands.Add(BenchGenerateCommand.Create());
        bench.Subcommands.Add(BenchTrainCommand.Create());
        bench.Subcommands.Add(BenchLoadCommand.Create());
        return bench;
    }
}
