using System.CommandLine;
using Kefu.Cli.Commands;

namespace Kefu.Cli;

/// <summary>The <c>kefu</c> command tree. Each pipeline stage registers its verbs from its own file in Commands/.</summary>
public static class KefuCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Kefu (客服): turn your FAQ, dialogues and edge cases into a fine-tuned Qwen2 customer-service assistant, and run it.");
        root.Subcommands.Add(DataCommands.Create());
        root.Subcommands.Add(ModelCommands.Create());
        root.Subcommands.Add(ChatCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(MergeCommand.Create());
        root.Subcommands.Add(QuantizeCommand.Create());
        root.Subcommands.Add(ExportCommands.Create());
        root.Subcommands.Add(BenchCommands.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(KeysCommands.Create());
        root.Subcommands.Add(AgentsCommands.Create());
        root.Subcommands.Add(KbCommands.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(LearnCommands.Create());
        return root;
    }
}
