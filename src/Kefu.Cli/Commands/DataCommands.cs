using System.CommandLine;
using Kefu.Cli.Commands.Data;

namespace Kefu.Cli.Commands;

/// <summary><c>kefu data …</c>: validate and build training sets.</summary>
internal static class DataCommands
{
    public static Command Create()
    {
        var data = new Command("data", "Validate enterprise data and build a training-ready set.");
        data.Subcommands.Add(ValidateCommand.Create());
        data.Subcommands.Add(BuildCommand.Create());
        return data;
    }
}
