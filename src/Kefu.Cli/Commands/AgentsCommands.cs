using System.CommandLine;
using Kefu.Server.Auth;

namespace Kefu.Cli.Commands;

/// <summary>
/// <c>kefu agents hash-password</c>: reads a password from standard input (not the command line, which shell
/// history and process lists keep) and prints its PBKDF2 hash for the <c>password_hash</c> field of the agents file
/// that <c>kefu serve --agents FILE</c> reads.
/// </summary>
internal static class AgentsCommands
{
    public static Command Create()
    {
        var hash = new Command("hash-password", "Read a password from standard input and print its hash for the agents file (kefu serve --agents)");
        hash.SetAction(async (parseResult, cancellationToken) =>
        {
            var password = (await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.TrimEnd('\r');
            if (string.IsNullOrEmpty(password))
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync("kefu: error: no password on standard input.").ConfigureAwait(false);
                return 2;
            }
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(AgentPasswords.Hash(password)).ConfigureAwait(false);
            return 0;
        });
        return new Command("agents", "Agent console accounts") { hash };
    }
}
