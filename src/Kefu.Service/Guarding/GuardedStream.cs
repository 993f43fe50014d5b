using System.Text;
using Kefu.Safety.Words;
using Kefu.Service.Dialogue;

namespace Kefu.Service.Guarding;

/// <summary>
/// A turn's stream to the customer with the output word filter in front of it: a model's deltas go through the
/// filter and only what it releases is sent, so a listed word split across deltas is held back until it is
/// decided and a blocked one never leaves. After a block nothing more of the model's text is sent; the turn's
/// final text (the safe fallback) follows what was already sent.
/// </summary>
internal sealed class GuardedStream
{
    private readonly Guardrails _guardrails;
    private readonly TextSink? _stream;
    private readonly StringBuilder _sent = new();
    private IStreamingTextFilter? _filter;
    private bool _completed;

    public GuardedStream(Guardrails guardrails, TextSink? stream)
    {
        _guardrails = guardrails;
        _stream = stream;
        Sink = stream is null ? null : PushAsync;
    }

    /// <summary>The sink to give a responder (null when the caller does not stream).</summary>
    public TextSink? Sink { get; }

    /// <summary>What has reached the customer so far.</summary>
    public string Sent => _sent.ToString();

    /// <summary>Whether the filter saw a blocked word in the streamed text.</summary>
    public bool Blocked => _filter?.IsBlocked == true;

    /// <summary>Releases the filter's held-back tail (no more model text will come).</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_filter is null || _completed || _filter.IsBlocked)
            return;
        _completed = true;
        await SendAsync(_filter.Complete().Released, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends whatever of the turn's final text the customer has not seen yet.</summary>
    public async Task FinishAsync(string text, CancellationToken cancellationToken)
    {
        if (_stream is null)
            return;
        var sent = Sent;
        var unsent = sent.Length == 0 ? text
            : text.StartsWith(sent, StringComparison.Ordinal) ? text[sent.Length..]
            // The streamed reply was replaced: the fallback follows what the customer already read.
            : "\n\n" + text;
        await SendAsync(unsent, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask PushAsync(string delta, CancellationToken cancellationToken)
    {
        _filter ??= _guardrails.BeginStream();
        if (_filter.IsBlocked || _completed)
            return;
        var update = _filter.Push(delta);
        if (update.Blocked)
            _guardrails.CountStreamBlocked();
        await SendAsync(update.Released, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask SendAsync(string text, CancellationToken cancellationToken)
    {
        if (text.Length == 0 || _stream is null)
            return;
        _sent.Append(text);
        await _stream(text, cancellationToken).ConfigureAwait(false);
    }
}
