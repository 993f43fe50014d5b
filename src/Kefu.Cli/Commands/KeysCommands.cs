using System.CommandLine;
using System.Globalization;
using Kefu.Server.Security;
using Spectre.Console;

namespace Kefu.Cli.Commands;

/// <summary>
/// <c>kefu keys add|list|revoke --file keys.json</c>: the server's API keys, kept as SHA-256 digests (never the keys);
/// <c>kefu serve --keys-file keys.json</c> accepts the active ones. A new key is printed once, when it is made.
/// </summary>
internal static class KeysCommands
{
    public static Command Create()
    {
        var keys = new Command("keys", "Manage API keys (stored as SHA-256 digests in a keys file)");
        keys.Subcommands.Add(Add());
        keys.Subcommands.Add(List());
        keys.Subcommands.Add(Revoke());
        return keys;
    }

    private static Option<string> FileOption() => new("--file") { Description = "The keys file", Required = true };

    private static Command Add()
    {
        var file = FileOption();
        var name = new Option<string>("--name") { Description = "Who the key is for (shown in logs; agents' names on the desk)", Required = true };
        var role = new Option<string>("--role") { Description = "customer (chat, OpenAI API) or agent (also the agent desk and dashboard)", DefaultValueFactory = _ => ApiKeyEntry.CustomerRole };
        var command = new Command("add", "Make a new key; it is printed once and only its digest is stored") { file, name, role };
        command.SetAction(parseResult => Run(parseResult, console =>
        {
            var key = ApiKeyFile.Add(parseResult.GetRequiredValue(file), parseResult.GetRequiredValue(name), parseResult.GetRequiredValue(role), TimeProvider.System);
            console.WriteRawLine(key);
            console.MarkupLine($"[grey]Key for {Markup.Escape(parseResult.GetRequiredValue(name))} ({Markup.Escape(parseResult.GetRequiredValue(role))}): keep it now, it cannot be shown again.[/]");
        }));
        return command;
    }

    private static Command List()
    {
        var file = FileOption();
        var command = new Command("list", "List the keys (names, roles, dates; never the keys)") { file };
        command.SetAction(parseResult => Run(parseResult, console =>
        {
            var table = new Table().AddColumns("Name", "Role", "Created", "Revoked", "Digest");
            foreach (var entry in ApiKeyFile.Read(parseResult.GetRequiredValue(file)))
            {
                table.AddRow(Markup.Escape(entry.Name), entry.Role, entry.CreatedAt.ToString("u", CultureInfo.InvariantCulture),
                    entry.RevokedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "-", entry.Hash[..("sha256:".Length + 12)] + "…");
            }
            console.Write(table);
        }));
        return command;
    }

    private static Command Revoke()
    {
        var file = FileOption();
        var name = new Option<string>("--name") { Description = "The key to revoke", Required = true };
        var command = new Command("revoke", "Revoke a key (running servers stop accepting it within a second)") { file, name };
        command.SetAction(parseResult =>
        {
            var found = false;
            var code = Run(parseResult, console =>
            {
                found = ApiKeyFile.Revoke(parseResult.GetRequiredValue(file), parseResult.GetRequiredValue(name), TimeProvider.System);
                if (found)
                    console.MarkupLine($"Revoked {Markup.Escape(parseResult.GetRequiredValue(name))}; servers using this file stop accepting it within a second.");
                else
                    console.Error($"no active key named {parseResult.GetRequiredValue(name)} in {parseResult.GetRequiredValue(file)}.");
            });
            return code == 0 && !found ? 1 : code;
        });
        return command;
    }

    private static int Run(ParseResult parseResult, Action<IAnsiConsole> action)
    {
        var console = CliConsole.For(parseResult);
        try
        {
            action(console);
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            console.Error(e.Message);
            return e is ArgumentException ? 2 : 1;
        }
    }
}
