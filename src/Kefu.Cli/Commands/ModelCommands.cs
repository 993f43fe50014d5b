using System.CommandLine;
using Kefu.Cli.Commands.Model;

namespace Kefu.Cli.Commands;

/// <summary><c>kefu model …</c>: make and inspect Qwen2 model folders.</summary>
internal static class ModelCommands
{
    public static Command Create()
    {
        var model = new Command("model", "Make and inspect Qwen2 model folders.");
        model.Subcommands.Add(ModelNewCommand.Create());
        return model;
    }
}
