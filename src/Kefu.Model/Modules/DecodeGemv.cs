using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Kefu.Model.Safetensors;
using static TorchSharp.torch;

namespace Kefu.Model.Modules;

/// <summary>
/// Matrix-vector products for decoding on the CPU: y = W x (+ b) for a handful of input rows, float32 or bfloat16.
/// Decoding one token is a pass over every weight, so it is bound by memory bandwidth; libtorch's CPU GEMV (MKL
/// sgemv, and oneDNN for bfloat16) streamed weights at 17–30 GB/s here where the machine reads 70+ GB/s, while
/// this plain AVX-512 loop, split over the torch threads, reaches about 48 GB/s. Used only without autograd (it has
/// no backward), on contiguous CPU weights, where 512-bit vectors are hardware-accelerated; otherwise libtorch runs.
/// </summary>
internal static unsafe class DecodeGemv
{
    /// <summary>Most input rows handled here; more rows (a prompt) make the product compute-bound, libtorch's job.</summary>
    public const int MaxRows = 8;

    private const long SingleThreadBelowBytes = 1 << 20;

    private static int _threads = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Threads splitting each product (default: the processor count; <c>--threads</c> sets it with libtorch's).</summary>
    public static int Threads
    {
        get => _threads;
        set => _threads = Math.Max(1, value);
    }

    /// <summary>Whether this machine runs the kernel at all (512-bit vectors in hardware).</summary>
    public static bool IsAvailable => Vector512.IsHardwareAccelerated;

    public static bool CanRun(Tensor input, Tensor weight) =>
        IsAvailable
        && !is_grad_enabled()
        && weight.device_type == TorchSharp.DeviceType.CPU
        && input.device_type == TorchSharp.DeviceType.CPU
        && weight.dtype == input.dtype
        && weight.dtype is ScalarType.Float32 or ScalarType.BFloat16
        && weight.dim() == 2
        && weight.is_contiguous()
        && input.NumberOfElements / weight.shape[1] <= MaxRows;

    public static Tensor Apply(Tensor input, Tensor weight, Tensor? bias)
    {
        var columns = (int)weight.shape[1];
        var outputs = (int)weight.shape[0];
        var rows = (int)(input.NumberOfElements / columns);
        var isBf16 = weight.dtype == ScalarType.BFloat16;
        using var x = input.contiguous();
        using var b = bias?.contiguous();
        var output = empty([.. input.shape[..^1], outputs], weight.dtype);

        // Inputs and bias are small: read them into float32 once, so the inner loop only widens the weights.
        var inputs = ArrayPool<float>.Shared.Rent(rows * columns);
        var biases = b is null ? null : ArrayPool<float>.Shared.Rent(outputs);
        try
        {
            ReadAsFloat(TensorBytes.DataPointer(x), isBf16, inputs, rows * columns);
            if (isBf16 && Avx512BW.IsSupported)
            {
                for (var row = 0; row < rows; row++)
                    InterleaveForUnpack(inputs.AsSpan(row * columns, columns));
            }
            if (b is not null)
                ReadAsFloat(TensorBytes.DataPointer(b), isBf16, biases!, outputs);
            var weights = TensorBytes.DataPointer(weight);
            var results = TensorBytes.DataPointer(output);
            var parts = weight.NumberOfElements * weight.ElementSize < SingleThreadBelowBytes ? 1 : Threads;
            fixed (float* inputPointer = inputs)
            {
                var xs = inputPointer;
                void Part(int part)
                {
                    var first = (int)((long)outputs * part / parts);
                    var last = (int)((long)outputs * (part + 1) / parts);
                    for (var o = first; o < last; o++)
                    {
                        for (var row = 0; row < rows; row++)
                        {
                            var dot = isBf16
                                ? DotBf16((ushort*)weights + (long)o * columns, xs + row * columns, columns)
                                : DotF32((float*)weights + (long)o * columns, xs + row * columns, columns);
                            if (biases is not null)
                                dot += biases[o];
                            var at = (long)row * outputs + o;
                            if (isBf16)
                                ((ushort*)results)[at] = ToBf16(dot);
                            else
                                ((float*)results)[at] = dot;
                        }
                    }
                }
                if (parts == 1)
                    Part(0);
                else
                    Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, Part);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(inputs);
            if (biases is not null)
                ArrayPool<float>.Shared.Return(biases);
        }
        return output;
    }

    // Hot loops: compiled fully optimised at once, not after tiered JIT notices them.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float DotF32(float* w, float* x, int count)
    {
        var a0 = Vector512<float>.Zero;
        var a1 = Vector512<float>.Zero;
        var a2 = Vector512<float>.Zero;
        var a3 = Vector512<float>.Zero;
        var i = 0;
        for (; i + 64 <= count; i += 64)
        {
            a0 = Vector512.FusedMultiplyAdd(Vector512.Load(w + i), Vector512.Load(x + i), a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.Load(w + i + 16), Vector512.Load(x + i + 16), a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.Load(w + i + 32), Vector512.Load(x + i + 32), a2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.Load(w + i + 48), Vector512.Load(x + i + 48), a3);
        }
        for (; i + 16 <= count; i += 16)
            a0 = Vector512.FusedMultiplyAdd(Vector512.Load(w + i), Vector512.Load(x + i), a0);
        var sum = Vector512.Sum(a0 + a1 + (a2 + a3));
        for (; i < count; i++)
            sum += w[i] * x[i];
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float DotBf16(ushort* w, float* x, int count)
    {
        var a0 = Vector512<float>.Zero;
        var a1 = Vector512<float>.Zero;
        var i = 0;
        if (Avx512BW.IsSupported)
        {
            // bfloat16 is the top half of a float32: interleaving zero words below each weight makes float32s in one
            // instruction. Unpacking works within 128-bit lanes, so x was reordered to match (InterleaveForUnpack).
            for (; i + 32 <= count; i += 32)
            {
                var packed = Vector512.Load(w + i);
                var low = Avx512BW.UnpackLow(Vector512<ushort>.Zero, packed).AsSingle();
                var high = Avx512BW.UnpackHigh(Vector512<ushort>.Zero, packed).AsSingle();
                a0 = Avx512F.FusedMultiplyAdd(low, Vector512.Load(x + i), a0);
                a1 = Avx512F.FusedMultiplyAdd(high, Vector512.Load(x + i + 16), a1);
            }
        }
        else
        {
            for (; i + 32 <= count; i += 32)
            {
                var packed = Vector512.Load(w + i);
                var low = Vector512.ShiftLeft(Vector512.WidenLower(packed), 16).AsSingle();
                var high = Vector512.ShiftLeft(Vector512.WidenUpper(packed), 16).AsSingle();
                a0 = Vector512.FusedMultiplyAdd(low, Vector512.Load(x + i), a0);
                a1 = Vector512.FusedMultiplyAdd(high, Vector512.Load(x + i + 16), a1);
            }
        }
        var sum = Vector512.Sum(a0 + a1);
        for (; i < count; i++)
            sum += BitConverter.Int32BitsToSingle(w[i] << 16) * x[i];
        return sum;
    }

    /// <summary>
    /// Reorders each whole block of 32 inputs into the order 512-bit word unpacking produces: the low halves of the
    /// four 128-bit lanes (elements 0–3, 8–11, 16–19, 24–27), then the high halves (4–7, 12–15, 20–23, 28–31).
    /// </summary>
    private static void InterleaveForUnpack(Span<float> x)
    {
        Span<float> block = stackalloc float[32];
        for (var start = 0; start + 32 <= x.Length; start += 32)
        {
            var source = x.Slice(start, 32);
            for (var lane = 0; lane < 4; lane++)
            {
                for (var j = 0; j < 4; j++)
                {
                    block[lane * 4 + j] = source[lane * 8 + j];
                    block[16 + lane * 4 + j] = source[lane * 8 + 4 + j];
                }
            }
            block.CopyTo(source);
        }
    }

    private static void ReadAsFloat(byte* source, bool isBf16, float[] destination, int count)
    {
        if (!isBf16)
        {
            new ReadOnlySpan<float>(source, count).CopyTo(destination);
            return;
        }
        var bits = (ushort*)source;
        for (var i = 0; i < count; i++)
            destination[i] = BitConverter.Int32BitsToSingle(bits[i] << 16);
    }

    /// <summary>float32 → bfloat16 rounding to nearest even, as libtorch does (NaN stays NaN).</summary>
    private static ushort ToBf16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
            return (ushort)((bits >> 16) | 0x40);
        bits += 0x7FFF + ((bits >> 16) & 1);
        return (ushort)(bits >> 16);
    }
}
