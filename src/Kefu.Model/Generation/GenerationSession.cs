using Kefu.Model.Modules;
using Kefu.Model.Runtime;
using static TorchSharp.torch;

namespace Kefu.Model.Generation;

/// <summary>
/// The state of one (possibly batched) generation: prompts left-padded to a common length, the preallocated KV
/// cache, which key positions are real, each row's next position and its token history. Every call is synchronous
/// and cleans up its own temporaries; only the long-lived tensors here survive between steps.
/// </summary>
internal sealed class GenerationSession : IDisposable
{
    private readonly Qwen2ForCausalLM _model;
    private readonly GenerationOptions _options;
    private readonly KvCache _cache;
    private readonly Generator? _generator;
    private readonly Tensor? _keyIsReal;
    private readonly Tensor _history;
    private readonly Tensor _nextPosition;
    private readonly long[] _promptIds;
    private readonly long[] _promptPositions;
    private readonly int _promptLength;
    private int _filled;
    private Tensor? _logits;

    public GenerationSession(Qwen2ForCausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options)
    {
        options.Validate();
        if (prompts.Count == 0 || prompts.Any(p => p.Count == 0))
            throw new ArgumentException("Every prompt needs at least one token.", nameof(prompts));
        var vocabulary = model.Config.VocabSize;
        var outOfRange = prompts.SelectMany(p => p).FirstOrDefault(id => id < 0 || id >= vocabulary, -1);
        if (outOfRange != -1)
            throw new ArgumentException($"Prompt token id {outOfRange} is outside the model's vocabulary (0…{vocabulary - 1}).", nameof(prompts));

        _model = model;
        _options = options;
        BatchSize = prompts.Count;
        PromptLengths = prompts.Select(p => p.Count).ToArray();
        _promptLength = PromptLengths.Max();
        Capacity = _promptLength + options.MaxNewTokens;
        var device = model.Device;

        // Left padding keeps every row's newest token in the same column. Padded slots repeat the row's first token:
        // masked for attention, and harmless to the repetition penalty (that token is in the row already).
        _promptIds = new long[BatchSize * _promptLength];
        _promptPositions = new long[BatchSize * _promptLength];
        var real = new bool[BatchSize * Capacity];
        var history = new long[BatchSize * Capacity];
        for (var row = 0; row < BatchSize; row++)
        {
            var prompt = prompts[row];
            var padding = _promptLength - prompt.Count;
            for (var column = 0; column < Capacity; column++)
            {
                var token = column < padding || column >= _promptLength ? prompt[0] : prompt[column - padding];
                history[row * Capacity + column] = token;
                real[row * Capacity + column] = column >= padding;
                if (column < _promptLength)
                {
                    _promptIds[row * _promptLength + column] = token;
                    _promptPositions[row * _promptLength + column] = Math.Max(0, column - padding);
                }
            }
        }

        _history = tensor(history, [BatchSize, Capacity], device: device).DetachFromDisposeScope();
        _keyIsReal = PromptLengths.Any(l => l != _promptLength)
            ? tensor(real, [BatchSize, Capacity], device: device).DetachFromDisposeScope()
            : null;
        _nextPosition = tensor(PromptLengths.Select(l => (long)l).ToArray(), [BatchSize, 1], device: device).DetachFromDisposeScope();
        _cache = KvCache.For(model.Config, BatchSize, Capacity, model.DType, device);
        _generator = options.IsGreedy ? null : new Generator((ulong)(options.Seed ?? Random.Shared.NextInt64()), device);
    }

    public int BatchSize { get; }

    public int[] PromptLengths { get; }

    public int Capacity { get; }

    /// <summary>Runs the prompts through the model, filling the cache; keeps the last position's logits.</summary>
    public void Prefill()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var device = _model.Device;
        var ids = tensor(_promptIds, [BatchSize, _promptLength], device: device);
        var positions = tensor(_promptPositions, [BatchSize, _promptLength], device: device);
        var logits = _model.forward(ids, positions, _keyIsReal?.narrow(1, 0, _promptLength), _cache, lastTokenOnly: true);
        _filled = _promptLength;
        KeepLogits(logits);
    }

    /// <summary>Chooses each row's next token from the current logits.</summary>
    public long[] Sample()
    {
        using var threads = DecodeThreading();
        if (_logits is null)
            throw new InvalidOperationException("Prefill first.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var history = _options.RepetitionPenalty != 1.0 ? _history.narrow(1, 0, _filled) : null;
        var next = LogitsSampler.Next(_logits, _options, history, _generator);
        return next.cpu().data<long>().ToArray();
    }

    /// <summary>Feeds one token per row (finished rows may feed anything) and keeps the new logits.</summary>
    public void Feed(long[] tokens)
    {
        if (_filled >= Capacity)
            throw new InvalidOperationException($"The session was sized for {Capacity - _promptLength} new tokens.");
        using var threads = DecodeThreading();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var device = _model.Device;
        var ids = tensor(tokens, [BatchSize, 1], device: device);
        _history.narrow(1, _filled, 1).copy_(ids);
        var logits = _model.forward(ids, _nextPosition, _keyIsReal?.narrow(1, 0, _filled + 1), _cache, lastTokenOnly: true);
        _nextPosition.add_(1);
        _filled++;
        KeepLogits(logits);
    }

    public void Dispose()
    {
        _logits?.Dispose();
        _cache.Dispose();
        _history.Dispose();
        _keyIsReal?.Dispose();
        _nextPosition.Dispose();
        _generator?.Dispose();
    }

    /// <summary>
    /// Decode steps run libtorch single-threaded when the weight products run on .NET threads (DecodeGemv): libtorch's
    /// OpenMP workers spin after each parallel region and would take the cores those products need — measured on
    /// two cores, 3 tokens/s instead of 13–34. Prefill, which is libtorch's matrix-matrix work, keeps its threads.
    /// The thread count is process-wide; overlapping generations share one single-threaded period (TorchThreads).
    /// </summary>
    private IDisposable? DecodeThreading() =>
        _model.Device.type == TorchSharp.DeviceType.CPU && DecodeGemv.IsAvailable && BatchSize <= DecodeGemv.MaxRows
            ? TorchThreads.SingleThreadedWhileDecoding()
            : null;

    private void KeepLogits(Tensor logits)
    {
        _logits?.Dispose();
        _logits = logits.squeeze(1).DetachFromDisposeScope();
    }
}
