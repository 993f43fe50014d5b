using System.Runtime.CompilerServices;
using Kefu.Model.Generation;

namespace Kefu.Model.Tests.Chat;

/// <summary>
/// A stand-in for the model that replays scripted replies (one per call) and records what it was asked. It lets
/// chat tests prove the mapping layer (template, options, parsing, M.E.AI contract) with exact expected outputs;
/// it proves nothing about the model itself, which the generation tests cover.
/// </summary>
internal sealed class ScriptedTokenGenerator(params IReadOnlyList<int>[] replies) : ITokenGenerator
{
    private int _calls;

    public List<IReadOnlyList<int>> Prompts { get; } = [];

    public List<GenerationOptions> Options { get; } = [];

    /// <summary>Tokens handed out so far (to see that a stop sequence ended generation early).</summary>
    public int TokensPulled { get; private set; }

    public async IAsyncEnumerable<GeneratedToken> GenerateAsync(IReadOnlyList<int> promptIds, GenerationOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Prompts.Add(promptIds);
        Options.Add(options);
        var reply = replies[Math.Min(_calls++, replies.Length - 1)];
        for (var i = 0; i < reply.Count; i++)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            TokensPulled++;
            var token = reply[i];
            var finish = options.StopTokenIds.Contains(token) ? GenerationFinishReason.Stop
                : i + 1 >= options.MaxNewTokens ? GenerationFinishReason.Length : (GenerationFinishReason?)null;
            yield return new GeneratedToken(token, i, finish);
            if (finish is not null)
                yield break;
        }
    }
}
