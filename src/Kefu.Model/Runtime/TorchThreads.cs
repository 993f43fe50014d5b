using Kefu.Model.Modules;
using static TorchSharp.torch;

namespace Kefu.Model.Runtime;

/// <summary>CPU threads for model work: libtorch's intra-op threads and those of the decode products.</summary>
public static class TorchThreads
{
    private static readonly Lock Gate = new();
    private static int _decoding;
    private static int _saved;

    /// <summary>Uses <paramref name="count"/> threads for libtorch operations and for the decode kernel.</summary>
    public static void Set(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (Gate)
        {
            // While decoding, libtorch runs single-threaded; the new count applies when decoding ends.
            if (_decoding > 0)
                _saved = count;
            else
                set_num_threads(count);
        }
        DecodeGemv.Threads = count;
    }

    /// <summary>
    /// Runs libtorch single-threaded until disposed (GenerationSession says why). Counted, so overlapping
    /// generations restore the configured count only when the last one leaves.
    /// </summary>
    public static IDisposable SingleThreadedWhileDecoding()
    {
        lock (Gate)
        {
            if (_decoding++ == 0)
            {
                _saved = get_num_threads();
                set_num_threads(1);
            }
        }
        return new Leave();
    }

    private sealed class Leave : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            lock (Gate)
            {
                if (_disposed)
                    return;
                _disposed = true;
                if (--_decoding == 0)
                    set_num_threads(_saved);
            }
        }
    }
}
