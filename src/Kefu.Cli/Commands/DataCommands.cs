using System.CommandLine;

namespace Kefu.Cli.Commands;

/// <summary><c>kefu data …</c>: validate and build training sets.</summary>
internal static class DataCommands
{
    public static Command Create()
    {
        var data = new Command("data", "Validate enterprise data and build a training-ready set.");
        return data;
    }
}
