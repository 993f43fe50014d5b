using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Kefu.Model.Modules;
using Kefu.Model.Safetensors;
using static TorchSharp.torch;

namespace Kefu.Model.Quantization;

/// <summary>
/// y = W x (+ b) for a few input rows straight from GPTQ's packed layout, without making the dense weight: decoding
/// reads each 4-bit weight once (half a byte instead of two). qweight [in/8, out] keeps eight input features of one
/// output in an int32 and consecutive outputs side by side, so sixteen outputs load as one 512-bit vector and each
/// nibble position becomes one fused multiply-add with a broadcast input. Per group g of inputs:
/// y += scale[g] · Σ x·q − scale[g]·zero[g] · Σ x, so zero points cost nothing per weight. Runs for groups in
/// natural order (no act-order permutation), outputs in multiples of 16, on CPUs with 512-bit vectors.
/// </summary>
internal static unsafe class Int4DecodeGemv
{
    public static bool CanRun(Tensor input, GptqLinear layer, int groupSize) =>
        Vector512.IsHardwareAccelerated
        && !is_grad_enabled()
        && groupSize > 0 && groupSize % GptqPacking.CodesPerInt == 0
        && layer.OutFeatures % Vector512<float>.Count == 0
        && input.device_type == TorchSharp.DeviceType.CPU
        && layer.qweight.device_type == TorchSharp.DeviceType.CPU
        && input.dtype is ScalarType.Float32 or ScalarType.BFloat16
        && input.NumberOfElements / layer.InFeatures <= DecodeGemv.MaxRows;

    /// <summary>x Wᵀ + b with W from the layer's qweight; <paramref name="scales"/> and <paramref name="scaledZeros"/> (scale · zero) are float32 [groups, out].</summary>
    public static Tensor Apply(Tensor input, GptqLinear layer, Tensor scales, Tensor scaledZeros, int groupSize)
    {
        var columns = (int)layer.InFeatures;
        var outputs = (int)layer.OutFeatures;
        var groups = (int)scales.shape[0];
        var rows = (int)(input.NumberOfElements / columns);
        var isBf16 = input.dtype == ScalarType.BFloat16;
        using var x = input.to(ScalarType.Float32).contiguous();
        using var b = layer.bias?.to(ScalarType.Float32).contiguous();
        var output = empty([.. input.shape[..^1], outputs], ScalarType.Float32);

        // Σ x over each group, per row: the zero-point term.
        var groupSums = ArrayPool<float>.Shared.Rent(rows * groups);
        try
        {
            var xs = (float*)TensorBytes.DataPointer(x);
            for (var row = 0; row < rows; row++)
            {
                for (var g = 0; g < groups; g++)
                {
                    var start = g * groupSize;
                    var end = Math.Min(columns, start + groupSize);
                    var sum = 0f;
                    for (var i = start; i < end; i++)
                        sum += xs[row * columns + i];
                    groupSums[row * groups + g] = sum;
                }
            }
            var qweight = (int*)TensorBytes.DataPointer(layer.qweight);
            var scale = (float*)TensorBytes.DataPointer(scales);
            var zero = (float*)TensorBytes.DataPointer(scaledZeros);
            var bias = b is null ? null : (float*)TensorBytes.DataPointer(b);
            var results = (float*)TensorBytes.DataPointer(output);
            var vectors = outputs / Vector512<float>.Count;
            var parts = Math.Min(DecodeGemv.Threads, vectors);
            fixed (float* sums = groupSums)
            {
                var groupSumPointer = sums;
                void Part(int part)
                {
                    var first = (int)((long)vectors * part / parts);
                    var last = (int)((long)vectors * (part + 1) / parts);
                    for (var v = first; v < last; v++)
                    {
                        for (var row = 0; row < rows; row++)
                            Column(qweight, scale, zero, bias, xs + (long)row * columns, groupSumPointer + row * groups,
                                results + (long)row * outputs, v * Vector512<float>.Count, columns, outputs, groups, groupSize);
                    }
                }
                if (parts <= 1)
                    Part(0);
                else
                    Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, Part);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(groupSums);
        }
        if (!isBf16)
            return output;
        using (output)
            return output.to(ScalarType.BFloat16);
    }

    // Hot loop: compiled fully optimised at once, not after tiered JIT notices it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Column(int* qweight, float* scale, float* zero, float* bias, float* x, float* groupSums, float* y,
        int o, int columns, int outputs, int groups, int groupSize)
    {
        var mask = Vector512.Create(0xF);
        var total = bias is null ? Vector512<float>.Zero : Vector512.Load(bias + o);
        for (var g = 0; g < groups; g++)
        {
            var firstRow = g * groupSize / GptqPacking.CodesPerInt;
            var endRow = Math.Min(columns, (g + 1) * groupSize) / GptqPacking.CodesPerInt;
            var a0 = Vector512<float>.Zero;
            var a1 = Vector512<float>.Zero;
            for (var r = firstRow; r < endRow; r++)
            {
                var words = Vector512.Load(qweight + (long)r * outputs + o);
                var xr = x + r * GptqPacking.CodesPerInt;
                a0 = Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle(words & mask), Vector512.Create(xr[0]), a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle(Vector512.ShiftRightLogical(words, 4) & mask), Vector512.Create(xr[1]), a1);
                a0 = Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle(Vector512.ShiftRightLogical(words, 8) & mask), Vector512.Create(xr[2]), a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle(Vector512.ShiftRightLogical(words, 12) & mask), Vector512.Create(xr[3]), a1);
                a0 = Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle(Vector512.ShiftRightLogical(words, 16) & mask), Vector512.Create(xr[4]), a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle(Vector512.ShiftRightLogical(words, 20) & mask), Vector512.Create(xr[5]), a1);
                a0 = Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle(Vector512.ShiftRightLogical(words, 24) & mask), Vector512.Create(xr[6]), a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle(Vector512.ShiftRightLogical(words, 28) & mask), Vector512.Create(xr[7]), a1);
            }
            var s = Vector512.Load(scale + (long)g * outputs + o);
            var z = Vector512.Load(zero + (long)g * outputs + o);
            total = Vector512.FusedMultiplyAdd(s, a0 + a1, total) - z * Vector512.Create(groupSums[g]);
        }
        total.Store(y + o);
    }
}
