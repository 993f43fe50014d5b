using System.Diagnostics;
using static TorchSharp.torch;

namespace Kefu.Training.Benchmarking;

/// <summary>The FLOP/s one large square matmul reaches on this machine with the current thread count: the ceiling MFU is measured against.</summary>
public static class GemmThroughput
{
    public static double Measure(ScalarType dtype = ScalarType.Float32, int size = 2048, int repetitions = 6, Device? device = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var a = randn([size, size], ScalarType.Float32).to(dtype, device ?? CPU);
        var b = randn([size, size], ScalarType.Float32).to(dtype, device ?? CPU);
        matmul(a, b).Dispose(); // warm-up: thread pool, packing buffers
        var best = double.MaxValue;
        for (var i = 0; i < repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            using var product = matmul(a, b);
            _ = product[0, 0].to(ScalarType.Float32).item<float>(); // forces completion on asynchronous devices
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * size * size * size / best;
    }
}
