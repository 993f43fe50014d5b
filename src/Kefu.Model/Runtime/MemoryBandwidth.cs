using System.Diagnostics;
using static TorchSharp.torch;

namespace Kefu.Model.Runtime;

/// <summary>
/// Measures how fast this machine streams memory into the CPU with libtorch's own threads: the ceiling for decoding,
/// which reads every weight once per token.
/// </summary>
public static class MemoryBandwidth
{
    /// <summary>
    /// Best-of-<paramref name="repetitions"/> bytes per second of summing a float32 array of
    /// <paramref name="bytes"/> bytes (much larger than any cache), using the current torch thread count.
    /// </summary>
    public static double MeasureReadBytesPerSecond(long bytes = 1L << 30, int repetitions = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1L << 20);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var data = ones(bytes / sizeof(float), ScalarType.Float32);
        data.sum().Dispose();
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < repetitions; i++)
        {
            var watch = Stopwatch.StartNew();
            using var total = data.sum();
            _ = total.item<float>();
            watch.Stop();
            if (watch.Elapsed < best)
                best = watch.Elapsed;
        }
        return bytes / best.TotalSeconds;
    }
}
