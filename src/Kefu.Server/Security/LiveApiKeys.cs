using System.Collections;
using Kefu.Server.Hosting;

namespace Kefu.Server.Security;

/// <summary>
/// The keys requests are checked against: the ones given directly (command line, environment) plus the keys file's
/// active entries, re-read when the file changes (looked at no more than once a second), so <c>kefu keys revoke</c>
/// and <c>kefu keys add</c> take effect on a running server. A file that cannot be read or parsed mid-edit leaves the
/// last good set in force rather than locking everyone out.
/// </summary>
internal sealed class LiveApiKeys : IReadOnlyList<ApiKey>
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly IReadOnlyList<ApiKey> _fixed;
    private readonly string? _file;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private IReadOnlyList<ApiKey> _current;
    private (DateTime WrittenAt, long Length) _fileVersion;
    private DateTimeOffset _checkedAt;

    public LiveApiKeys(KefuServerOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _file = options.ApiKeysFile is { } file ? Path.GetFullPath(file) : null;
        // Keys known only by their digest came from the file; they are re-read from it from now on.
        _fixed = [.. options.ApiKeys.Where(k => k.Key.Length > 0 || _file is null)];
        _current = options.ApiKeys;
        _fileVersion = _file is null ? default : Version(_file);
        _checkedAt = time.GetUtcNow();
    }

    public int Count => Current().Count;

    public ApiKey this[int index] => Current()[index];

    public IEnumerator<ApiKey> GetEnumerator() => Current().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // The length too: on a file system with coarse timestamps two writes in one tick still differ in size.
    private static (DateTime, long) Version(string file)
    {
        var info = new FileInfo(file);
        return (info.LastWriteTimeUtc, info.Exists ? info.Length : -1);
    }

    private IReadOnlyList<ApiKey> Current()
    {
        if (_file is null)
            return _current;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (now - _checkedAt < CheckInterval)
                return _current;
            _checkedAt = now;
            try
            {
                var version = Version(_file);
                if (version != _fileVersion)
                {
                    _current = [.. _fixed, .. ApiKeyFile.LoadActive(_file)];
                    _fileVersion = version;
                }
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                // Half-written or unreadable right now: keep the last good keys and look again next time.
            }
            return _current;
        }
    }
}
