namespace Kefu.Safety.Words;

/// <summary>
/// Keeps a matcher built from a lexicon manifest and swaps in a new one when the manifest or a word file changes,
/// without a restart. Polls (a content hash over every file) rather than watching: file-system events are lost on
/// network and container mounts, and editors save in ways that fire several. A lexicon that fails to load leaves
/// the previous matcher in place and is reported in <see cref="LastError"/>.
/// </summary>
public sealed class LexiconReloader : IWordMatcherSource, IDisposable
{
    private readonly string _manifestPath;
    private readonly Lock _gate = new();
    private readonly ITimer? _timer;
    private SensitiveWordMatcher _current;

    /// <summary>Loads the lexicon now (failing loudly if it cannot) and polls every <paramref name="pollInterval"/>.</summary>
    /// <param name="manifestPath">The lexicon manifest (see <see cref="LexiconLoader"/>).</param>
    /// <param name="pollInterval">How often to look for changes; <see cref="Timeout.InfiniteTimeSpan"/> to reload only on <see cref="ReloadIfChanged"/>.</param>
    /// <param name="timeProvider">The clock that drives polling; <see cref="TimeProvider.System"/> by default.</param>
    public LexiconReloader(string manifestPath, TimeSpan pollInterval, TimeProvider? timeProvider = null)
    {
        _manifestPath = manifestPath;
        _current = SensitiveWordMatcher.Build(LexiconLoader.Load(manifestPath));
        if (pollInterval != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(pollInterval, TimeSpan.Zero);
            _timer = (timeProvider ?? TimeProvider.System).CreateTimer(_ => Poll(), null, pollInterval, pollInterval);
        }
    }

    /// <summary>The matcher for the lexicon as last loaded successfully.</summary>
    public SensitiveWordMatcher Current => Volatile.Read(ref _current);

    /// <summary>How many times a changed lexicon was swapped in.</summary>
    public int ReloadCount { get; private set; }

    /// <summary>Why the last reload attempt failed, or null when it succeeded.</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Reloads when the files changed; true when a new matcher was swapped in.</summary>
    /// <exception cref="LexiconFormatException">The changed lexicon is malformed (the previous one stays in use).</exception>
    public bool ReloadIfChanged()
    {
        lock (_gate)
        {
            try
            {
                var lexicon = LexiconLoader.Load(_manifestPath);
                if (lexicon.ContentHash == Current.Lexicon.ContentHash)
                {
                    LastError = null;
                    return false;
                }
                var matcher = SensitiveWordMatcher.Build(lexicon);
                Volatile.Write(ref _current, matcher); // readers see the old automaton or the new one, never a mix
                ReloadCount++;
                LastError = null;
                return true;
            }
            catch (LexiconFormatException e)
            {
                LastError = e;
                throw;
            }
        }
    }

    public void Dispose() => _timer?.Dispose();

    private void Poll()
    {
        try
        {
            ReloadIfChanged();
        }
        catch (LexiconFormatException)
        {
            // Recorded in LastError; a half-written file is usually complete by the next poll.
        }
    }
}
