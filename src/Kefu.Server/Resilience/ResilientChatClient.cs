using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Kefu.Server.Resilience;

/// <summary>
/// A model behind timeouts and a circuit breaker. Whole answers get <see cref="ModelResilienceOptions.TotalTimeout"/>;
/// streamed ones also a deadline for the first token and for each silence between tokens, so a model that stalls
/// mid-answer is cut off rather than holding the customer. Every failure (an error status, a body that is not JSON,
/// a stream cut short, a timeout) is counted by the breaker and surfaces as an exception, which the brain answers
/// with its retrieval-only fallback. The caller's own cancellation is not the model's fault and is not counted.
/// </summary>
internal sealed class ResilientChatClient(IChatClient inner, ModelCircuitBreaker breaker, ModelResilienceOptions options)
    : DelegatingChatClient(inner)
{
    public ModelCircuitBreaker Breaker => breaker;

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options1 = null, CancellationToken cancellationToken = default)
    {
        Acquire();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.TotalTimeout);
        try
        {
            var response = await base.GetResponseAsync(messages, options1, deadline.Token).ConfigureAwait(false);
            breaker.RecordSuccess();
            return response;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            breaker.RecordFailure();
            if (deadline.IsCancellationRequested)
                throw new ModelUnavailableException($"The model did not answer within {options.TotalTimeout.TotalSeconds:0.#} s.", e);
            throw;
        }
        catch (OperationCanceledException)
        {
            breaker.Release();
            throw;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options1 = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Acquire();
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        total.CancelAfter(options.TotalTimeout);
        // Rescheduled after every update: it fires after the first-token wait, then after each idle gap.
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(total.Token);
        silence.CancelAfter(options.FirstTokenTimeout);
        var verdict = false;
        var updates = 0;
        try
        {
            await using var enumerator = base.GetStreamingResponseAsync(messages, options1, silence.Token).GetAsyncEnumerator(silence.Token);
            while (true)
            {
                bool more;
                try
                {
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    breaker.RecordFailure();
                    verdict = true;
                    if (total.IsCancellationRequested)
                        throw new ModelUnavailableException($"The model's answer took longer than {options.TotalTimeout.TotalSeconds:0.#} s.", e);
                    if (silence.IsCancellationRequested)
                    {
                        throw new ModelUnavailableException(updates == 0
                            ? $"The model sent nothing within {options.FirstTokenTimeout.TotalSeconds:0.#} s."
                            : $"The model went silent for {options.IdleTimeout.TotalSeconds:0.#} s mid-answer.", e);
                    }
                    throw;
                }
                if (!more)
                    break;
                updates++;
                silence.CancelAfter(options.IdleTimeout);
                yield return enumerator.Current;
            }
            breaker.RecordSuccess();
            verdict = true;
        }
        finally
        {
            // Abandoned by the consumer or cancelled by the customer: no verdict on the model.
            if (!verdict)
                breaker.Release();
        }
    }

    private void Acquire()
    {
        if (!breaker.TryAcquire())
            throw new ModelUnavailableException($"The {breaker.Backend} model's circuit is open after repeated failures; not calling it.");
    }
}
