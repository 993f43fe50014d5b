namespace Kefu.Safety.Words;

/// <summary>Filters text that arrives in chunks; see <see cref="StreamingWordFilter"/>.</summary>
public interface IStreamingTextFilter
{
    bool IsBlocked { get; }

    IReadOnlyList<SensitiveWordHit> Hits { get; }

    StreamUpdate Push(ReadOnlySpan<char> chunk);

    StreamUpdate Complete();
}
