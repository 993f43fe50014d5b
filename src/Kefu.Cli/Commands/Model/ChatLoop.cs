using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Kefu.Cli.Commands.Model;

/// <summary>
/// The terminal conversation of <c>kefu chat</c>: reads a line, streams the reply as it is generated, keeps the
/// history. /reset forgets the conversation; /exit (or end of input) leaves.
/// </summary>
internal sealed class ChatLoop(IAnsiConsole console, TextReader input, IChatClient client, string? systemPrompt, ChatOptions options)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var history = NewHistory();
        console.MarkupLine("[grey]Type a message; /reset starts over, /exit leaves.[/]");
        while (!cancellationToken.IsCancellationRequested)
        {
            console.Markup("[bold]你 > [/]");
            var line = await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null || line.Trim() is "/exit" or "/quit")
                break;
            if (line.Trim() == "/reset")
            {
                history = NewHistory();
                console.MarkupLine("[grey](conversation reset)[/]");
                continue;
            }
            if (string.IsNullOrWhiteSpace(line))
                continue;

            history.Add(new ChatMessage(ChatRole.User, line));
            console.Markup("[bold]客服 > [/]");
            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in client.GetStreamingResponseAsync(history, options, cancellationToken).ConfigureAwait(false))
            {
                updates.Add(update);
                console.Write(update.Text);
            }
            console.WriteLine();
            var response = updates.ToChatResponse();
            history.AddMessages(response);
            if (response.Usage is { } usage)
                console.MarkupLine($"[grey]({usage.InputTokenCount} prompt + {usage.OutputTokenCount} generated tokens, {response.FinishReason})[/]");
        }
        return 0;
    }

    private List<ChatMessage> NewHistory() =>
        string.IsNullOrWhiteSpace(systemPrompt) ? [] : [new ChatMessage(ChatRole.System, systemPrompt)];
}
