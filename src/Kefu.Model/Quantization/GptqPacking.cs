using TorchSharp;
using static TorchSharp.torch;

namespace Kefu.Model.Quantization;

/// <summary>
/// The bit layout of AutoGPTQ/GPTQModel "gptq" checkpoints (AutoGPTQ's qlinear_cuda_old.pack): 4-bit codes packed
/// eight to an int32, the first input feature in the lowest nibble. qweight is [in/8, out] (packed along the input
/// dimension), qzeros is [groups, out/8] (packed along the output dimension). The v1 format stores every zero point
/// minus one (a historical off-by-one kept for compatibility); v2 (gptq_v2) stores it as is.
/// </summary>
public static class GptqPacking
{
    /// <summary>Codes per int32 at 4 bits.</summary>
    public const int CodesPerInt = 8;

    /// <summary>Packs codes [out, in] (values 0…15) into qweight int32 [in/8, out].</summary>
    public static Tensor PackWeight(Tensor codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.dim() != 2 || codes.shape[1] % CodesPerInt != 0)
            throw new ArgumentException($"codes must be [out, in] with in divisible by {CodesPerInt}; got [{string.Join(", ", codes.shape)}].", nameof(codes));
        using var scope = NewDisposeScope();
        var inFeatures = codes.shape[1];
        var transposed = codes.t().to(ScalarType.Int64).reshape(inFeatures / CodesPerInt, CodesPerInt, codes.shape[0]);
        return PackAlong(transposed, dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>Packs zero points [groups, out] into qzeros int32 [groups, out/8], subtracting <paramref name="offset"/> (1 for v1).</summary>
    public static Tensor PackZeros(Tensor zeros, int offset = 1)
    {
        ArgumentNullException.ThrowIfNull(zeros);
        if (zeros.dim() != 2 || zeros.shape[1] % CodesPerInt != 0)
            throw new ArgumentException($"zeros must be [groups, out] with out divisible by {CodesPerInt}; got [{string.Join(", ", zeros.shape)}].", nameof(zeros));
        using var scope = NewDisposeScope();
        // v1 stores zero − 1; a zero of 0 (possible with asymmetric ranges) wraps to 15 as uint32 arithmetic does in AutoGPTQ.
        var stored = (zeros.to(ScalarType.Int64) - offset).bitwise_and(0xF);
        var grouped = stored.reshape(zeros.shape[0], zeros.shape[1] / CodesPerInt, CodesPerInt);
        return PackAlong(grouped, dim: 2).MoveToOuterDisposeScope();
    }

    /// <summary>Unpacks qweight int32 [in/8, out] into codes int32 [in, out].</summary>
    public static Tensor UnpackWeight(Tensor qweight)
    {
        ArgumentNullException.ThrowIfNull(qweight);
        using var scope = NewDisposeScope();
        var shifts = Shifts(qweight.device).view(1, CodesPerInt, 1);
        var codes = qweight.unsqueeze(1).bitwise_right_shift(shifts).bitwise_and(0xF);
        return codes.reshape(qweight.shape[0] * CodesPerInt, qweight.shape[1]).MoveToOuterDisposeScope();
    }

    /// <summary>Unpacks qzeros int32 [groups, out/8] into zero points int32 [groups, out], adding <paramref name="offset"/> back.</summary>
    public static Tensor UnpackZeros(Tensor qzeros, int offset = 1)
    {
        ArgumentNullException.ThrowIfNull(qzeros);
        using var scope = NewDisposeScope();
        var shifts = Shifts(qzeros.device).view(1, 1, CodesPerInt);
        // An explicit, held scalar: an implicit temporary may be finalized while libtorch reads it (optimised builds).
        using var add = offset.ToScalar();
        var zeros = qzeros.unsqueeze(2).bitwise_right_shift(shifts).bitwise_and(0xF);
        // v1's zero − 1 wrapped 0 to 15 (uint32); adding one back modulo 16 restores it, as GPTQModel's v1→v2 conversion does.
        return zeros.reshape(qzeros.shape[0], qzeros.shape[1] * CodesPerInt).add(add).bitwise_and(0xF).MoveToOuterDisposeScope();
    }

    private static Tensor Shifts(Device device) => arange(0, 32, 4, ScalarType.Int32, device);

    /// <summary>Sums value &lt;&lt; 4j over the 8 codes on <paramref name="dim"/> and stores the uint32 bit pattern as int32.</summary>
    private static Tensor PackAlong(Tensor codes, int dim)
    {
        var shifts = arange(0, 32, 4, ScalarType.Int64, codes.device);
        var shape = Enumerable.Repeat(1L, (int)codes.dim()).ToArray();
        shape[dim] = CodesPerInt;
        var packed = codes.bitwise_left_shift(shifts.view(shape)).sum(dim, type: ScalarType.Int64);
        // Values ≥ 2³¹ are negative int32 with the same bits (AutoGPTQ packs in uint32 and views it as int32).
        packed = where(packed.ge(1L << 31), packed - (1L << 32), packed);
        return packed.to(ScalarType.Int32);
    }
}
