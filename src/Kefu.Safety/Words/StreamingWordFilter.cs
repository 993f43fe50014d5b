namespace Kefu.Safety.Words;

/// <summary>
/// Filters text that arrives in chunks (a streamed model reply) so a listed word never reaches the client before the
/// filter has seen all of it. After each chunk it releases the text up to the start of the longest tail that could
/// still grow into a listed word or whitelist phrase (at most <see cref="SensitiveWordMatcher.LongestPattern"/> − 1
/// normalised characters plus the separators between them); words decided in the released part are masked, and a
/// word whose action is block stops the stream. Not thread-safe: one instance per stream.
/// </summary>
/// <remarks>
/// A Latin word at the very end of the text so far is held until the next character shows whether it ends on a
/// word boundary, and a decided hit that straddles the release point holds the point back to the hit's start, so
/// the whole hit is masked in one piece. The held tail is scanned again with each chunk; it is short.
/// </remarks>
public sealed class StreamingWordFilter : IStreamingTextFilter
{
    private readonly SensitiveWordMatcher _matcher;
    private readonly TextDirection _direction;
    private readonly List<SensitiveWordHit> _hits = [];
    private readonly List<RawMatch> _matches = [];
    private char[] _pending = new char[256];
    private int _count;
    private int _offset;
    private char _before;
    private int _previousClass;
    private bool _completed;

    internal StreamingWordFilter(SensitiveWordMatcher matcher, TextDirection direction)
    {
        _matcher = matcher;
        _direction = direction;
    }

    /// <summary>True once a blocked word was seen.</summary>
    public bool IsBlocked { get; private set; }

    /// <summary>Every hit decided so far, with offsets from the start of the stream.</summary>
    public IReadOnlyList<SensitiveWordHit> Hits => _hits;

    /// <summary>How many characters are held back waiting for more text.</summary>
    public int HeldLength => _count;

    /// <summary>Adds the next chunk and returns what can be released now.</summary>
    public StreamUpdate Push(ReadOnlySpan<char> chunk)
    {
        ThrowIfCompleted();
        if (IsBlocked)
            return new StreamUpdate(string.Empty, true, []);
        if (_count + chunk.Length > _pending.Length)
            Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _count + chunk.Length));
        chunk.CopyTo(_pending.AsSpan(_count));
        _count += chunk.Length;
        return Process(final: false);
    }

    /// <summary>Ends the stream: everything still held is decided and released.</summary>
    public StreamUpdate Complete()
    {
        ThrowIfCompleted();
        var update = IsBlocked ? new StreamUpdate(string.Empty, true, []) : Process(final: true);
        _completed = true;
        return update;
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
            throw new InvalidOperationException("The stream was already completed.");
    }

    private StreamUpdate Process(bool final)
    {
        var text = _pending.AsSpan(0, _count);
        var matches = _matches;
        matches.Clear();
        var end = _matcher.Automaton.Scan(text, _previousClass, matches);
        var release = final ? _count : end.HeldStart;
        if (!final && release == _count && _count > 0 && char.IsHighSurrogate(text[_count - 1]))
            release = _count - 1; // the other half of the pair has not arrived
        if (matches.Count == 0)
        {
            // The common case: nothing listed in sight, so release up to the held tail without resolving anything.
            var plain = text[..release].ToString();
            Advance(release);
            return new StreamUpdate(plain, false, []);
        }

        var words = _matcher.Resolve(text, matches, _before, final, out var undecided);
        release = Math.Min(release, undecided);
        var decided = final ? words : words.FindAll(m => m.ConsumedStart < end.HeldConsumedStart);
        for (var moved = true; moved;)
        {
            moved = false;
            foreach (var match in decided)
            {
                if (match.Start < release && match.End > release)
                {
                    release = match.Start;
                    moved = true;
                }
            }
        }

        var committed = decided.FindAll(m => m.End <= release);
        var block = committed.Where(m => _matcher.CategoryOf(m).ActionFor(_direction) == SafetyAction.Block)
            .OrderBy(m => m.Start).Cast<RawMatch?>().FirstOrDefault();
        if (block is { } blocking)
        {
            IsBlocked = true;
            release = blocking.Start;
            committed = committed.FindAll(m => m.End <= release || m == blocking);
        }

        var newHits = _matcher.ToHits(text, committed, _offset);
        _hits.AddRange(newHits);
        var masks = committed.Where(m => m.End <= release && _matcher.CategoryOf(m).ActionFor(_direction) >= SafetyAction.Mask)
            .Select(m => (m.Start, m.End)).ToList();
        var released = Masking.Apply(text[..release], masks);
        Advance(IsBlocked ? _count : release);
        return new StreamUpdate(released, IsBlocked, newHits);
    }

    private void Advance(int consumed)
    {
        if (consumed == 0)
            return;
        var text = _pending.AsSpan(0, _count);
        _before = text[consumed - 1];
        for (var i = consumed - 1; i >= 0; i--)
        {
            var cls = _matcher.Automaton.ClassOf(text[i]);
            if (cls == WordAutomaton.SkipClass)
                continue;
            _previousClass = cls == WordAutomaton.SurrogateClass ? 0 : cls;
            break;
        }
        text[consumed..].CopyTo(_pending);
        _count -= consumed;
        _offset += consumed;
    }
}
