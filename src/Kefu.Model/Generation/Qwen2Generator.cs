using System.Runtime.CompilerServices;
using Kefu.Model.Modules;

namespace Kefu.Model.Generation;

/// <summary>
/// Generates with a <see cref="Qwen2ForCausalLM"/>: one prefill pass over the prompt, then one cached decode step per
/// token. Streams single prompts; runs several prompts as one left-padded batch, each row stopping on its own.
/// The heavy work runs on the thread pool, one step at a time, so callers on a UI or request thread stay free and
/// cancellation is noticed between steps.
/// </summary>
public sealed class Qwen2Generator : ITokenGenerator
{
    public Qwen2Generator(Qwen2ForCausalLM model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
    }

    public Qwen2ForCausalLM Model { get; }

    /// <inheritdoc />
    public async IAsyncEnumerable<GeneratedToken> GenerateAsync(IReadOnlyList<int> promptIds, GenerationOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var session = await Task.Run(() => Start([promptIds], options), cancellationToken).ConfigureAwait(false);
        using (session)
        {
            for (var index = 0; ; index++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var token = (int)(await Task.Run(session.Sample, cancellationToken).ConfigureAwait(false))[0];
                var finish = options.StopTokenIds.Contains(token) ? GenerationFinishReason.Stop
                    : index + 1 >= options.MaxNewTokens ? GenerationFinishReason.Length
                    : (GenerationFinishReason?)null;
                yield return new GeneratedToken(token, index, finish);
                if (finish is not null)
                    yield break;
                await Task.Run(() => session.Feed([token]), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Generates for several prompts at once (left-padded batch); each row stops on its own stop token or length.</summary>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var session = Start(prompts, options);
        var tokens = prompts.Select(_ => new List<int>()).ToArray();
        var finished = new GenerationFinishReason?[prompts.Count];
        var stops = new int?[prompts.Count];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var next = session.Sample();
            for (var row = 0; row < next.Length; row++)
            {
                if (finished[row] is not null)
                {
                    next[row] = tokens[row].Count > 0 ? tokens[row][^1] : prompts[row][^1];
                    continue;
                }
                var token = (int)next[row];
                if (options.StopTokenIds.Contains(token))
                {
                    finished[row] = GenerationFinishReason.Stop;
                    stops[row] = token;
                    continue;
                }
                tokens[row].Add(token);
                if (tokens[row].Count >= options.MaxNewTokens)
                    finished[row] = GenerationFinishReason.Length;
            }
            if (finished.All(f => f is not null))
                break;
            session.Feed(next);
        }
        return prompts.Select((p, row) => new GenerationResult(tokens[row], finished[row]!.Value, p.Count, stops[row])).ToList();
    }

    /// <summary>Convenience: the tokens of one prompt, generated without streaming.</summary>
    public GenerationResult Generate(IReadOnlyList<int> prompt, GenerationOptions options, CancellationToken cancellationToken = default) =>
        Generate([prompt], options, cancellationToken)[0];

    private GenerationSession Start(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options)
    {
        var session = new GenerationSession(Model, prompts, options);
        try
        {
            session.Prefill();
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }
}
