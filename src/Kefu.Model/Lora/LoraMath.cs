using static TorchSharp.torch;

namespace Kefu.Model.Lora;

/// <summary>The merge arithmetic shared by in-memory merging and <c>kefu merge</c>: W += (B·A)·scaling in float32.</summary>
public static class LoraMath
{
    /// <summary>(B [out, r] · A [r, in]) · scaling as a float32 [out, in] tensor.</summary>
    public static Tensor Delta(Tensor loraA, Tensor loraB, double scaling)
    {
        using var scope = NewDisposeScope();
        var type = loraA.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        return (loraB.to(type).matmul(loraA.to(type)) * scaling).MoveToOuterDisposeScope();
    }

    /// <summary>A copy of <paramref name="weight"/> with the update added, in the weight's own type.</summary>
    public static Tensor Merged(Tensor weight, Tensor loraA, Tensor loraB, double scaling)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Check(weight, loraA, loraB);
        var merged = weight.to(weight.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32, copy: true) + Delta(loraA, loraB, scaling).to(weight.device);
        return merged.to(weight.dtype).MoveToOuterDisposeScope();
    }

    internal static void AddInto(Tensor weight, Tensor loraA, Tensor loraB, double scaling, int sign)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Check(weight, loraA, loraB);
        var updated = weight.to(weight.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32, copy: true) + sign * Delta(loraA, loraB, scaling).to(weight.device);
        weight.copy_(updated);
    }

    private static void Check(Tensor weight, Tensor loraA, Tensor loraB)
    {
        if (weight.dim() != 2 || loraA.dim() != 2 || loraB.dim() != 2
            || loraA.shape[1] != weight.shape[1] || loraB.shape[0] != weight.shape[0] || loraA.shape[0] != loraB.shape[1])
            throw new LoraFormatException($"LoRA shapes do not fit the weight [{string.Join(", ", weight.shape)}]: A [{string.Join(", ", loraA.shape)}], B [{string.Join(", ", loraB.shape)}] (A must be [r, in], B [out, r]).");
    }
}
