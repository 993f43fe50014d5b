using TorchSharp;
using static TorchSharp.torch;

namespace Kefu.Quantization;

/// <summary>
/// GPTQ (Frantar et al. 2022, "Accurate Post-Training Quantization for Generative Pre-trained Transformers"):
/// columns are quantized one at a time, and each column's rounding error is spread over the columns not yet
/// quantized in proportion to the inverse Hessian H⁻¹ of the layer's reconstruction loss ‖XWᵀ − XŴᵀ‖², H = 2XᵀX.
/// As in the reference implementation: H is dampened by a share of its mean diagonal, H⁻¹ is used through its
/// upper Cholesky factor, updates within a block of columns are applied eagerly and to the rest lazily once per
/// block, group parameters are found when a group's first column is reached, and act-order visits columns by
/// decreasing diag(H) and records the group of each original column in g_idx.
/// </summary>
public static class Gptq
{
    /// <summary>Quantizes <paramref name="weight"/> [out, in] against <paramref name="hessian"/> [in, in] (float32 math).</summary>
    public static QuantizedWeight Quantize(Tensor weight, Tensor hessian, QuantizationScheme scheme)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(hessian);
        ArgumentNullException.ThrowIfNull(scheme);
        scheme.Validated();
        var rows = weight.shape[0];
        var columns = weight.shape[1];
        if (hessian.shape.Length != 2 || hessian.shape[0] != columns || hessian.shape[1] != columns)
            throw new ArgumentException($"The Hessian must be [{columns}, {columns}] for a weight [{rows}, {columns}]; got [{string.Join(", ", hessian.shape)}].", nameof(hessian));
        var groupSize = scheme.GroupSizeFor(columns);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var w = weight.to(ScalarType.Float32, CPU).clone();
        var h = hessian.to(ScalarType.Float32, CPU).clone();

        // Columns no calibration input ever touched carry no information: fix them at zero, as the reference does.
        // Scalars explicit and held (see GroupQuantizer's remark on implicit ones).
        using var zeroScalar = 0.0.ToScalar();
        using var oneScalar = 1.0.ToScalar();
        var dead = h.diagonal().eq(zeroScalar);
        if (dead.any().item<bool>())
        {
            h.diagonal().masked_fill_(dead, oneScalar);
            w.masked_fill_(dead.unsqueeze(0), zeroScalar);
        }

        Tensor? permutation = null;
        if (scheme.ActOrder)
        {
            permutation = h.diagonal().argsort(descending: true);
            w = w.index_select(1, permutation);
            h = h.index_select(0, permutation).index_select(1, permutation);
        }

        var inverseUpper = InverseHessianUpperCholesky(h, scheme.DampPercent);
        var codes = zeros([rows, columns], ScalarType.Float32);
        var scales = new List<float[]>();
        var zerosList = new List<float[]>();

        for (long blockStart = 0; blockStart < columns; blockStart += scheme.BlockSize)
        {
            var count = (int)Math.Min(scheme.BlockSize, columns - blockStart);
            var blockEnd = blockStart + count;
            using var blockScope = NewDisposeScope();
            // The column loop runs on plain arrays: thousands of tiny libtorch calls per layer cost far more than the arithmetic.
            var w1 = w.narrow(1, blockStart, count).contiguous().data<float>().ToArray();
            var hinv1 = inverseUpper.narrow(0, blockStart, count).narrow(1, blockStart, count).contiguous().data<float>().ToArray();
            var errors = new float[rows * count];
            var blockCodes = new float[rows * count];
            float[] scaleValues = [], zeroValues = [];
            for (var i = 0; i < count; i++)
            {
                var column = blockStart + i;
                if (column % groupSize == 0)
                {
                    // The group's current values: updated in-block ones from w1, the rest (past this block) from w.
                    using var groupScope = NewDisposeScope();
                    var inBlockCount = (int)Math.Min(groupSize, count - i);
                    var inBlock = tensor(w1, [rows, count]).narrow(1, i, inBlockCount);
                    var beyond = Math.Min(column + groupSize, columns) - blockEnd;
                    var group = beyond > 0 ? cat([inBlock, w.narrow(1, blockEnd, beyond)], 1) : inBlock;
                    var (groupScale, groupZero) = GroupQuantizer.FindParams(group, scheme);
                    scaleValues = groupScale.data<float>().ToArray();
                    zeroValues = groupZero.data<float>().ToArray();
                    scales.Add(scaleValues);
                    zerosList.Add(zeroValues);
                }
                GptqColumn.Quantize(w1, hinv1, errors, blockCodes, (int)rows, count, i, scaleValues, zeroValues, scheme.MaxCode);
            }
            codes.narrow(1, blockStart, count).copy_(tensor(blockCodes, [rows, count]));
            if (blockEnd < columns)
                w.narrow(1, blockEnd, columns - blockEnd).sub_(tensor(errors, [rows, count]).matmul(inverseUpper.narrow(0, blockStart, count).narrow(1, blockEnd, columns - blockEnd)));
        }

        var groupIndex = arange(0, columns, 1, ScalarType.Int64).div(groupSize, rounding_mode: RoundingMode.floor);
        if (permutation is not null)
        {
            var inverse = permutation.argsort();
            codes = codes.index_select(1, inverse);
            groupIndex = groupIndex.index_select(0, inverse);
        }
        return new QuantizedWeight(
            codes.to(ScalarType.Byte).MoveToOuterDisposeScope(),
            stack(scales.Select(v => tensor(v)), 1).MoveToOuterDisposeScope(),
            stack(zerosList.Select(v => tensor(v)), 1).to(ScalarType.Int32).MoveToOuterDisposeScope(),
            groupIndex.to(ScalarType.Int32).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The upper Cholesky factor of (H + λI)⁻¹, λ = damp · mean(diag H). A Hessian that is still not positive
    /// definite (too few calibration tokens for the layer width) gets ten times the dampening, up to three times.
    /// </summary>
    internal static Tensor InverseHessianUpperCholesky(Tensor hessian, double dampPercent)
    {
        var damp = dampPercent * hessian.diagonal().mean().item<float>();
        for (var attempt = 0; ; attempt++)
        {
            using var scope = NewDisposeScope();
            var dampened = hessian.clone();
            using var dampScalar = ((double)damp).ToScalar();
            dampened.diagonal().add_(dampScalar);
            var (lower, info) = linalg.cholesky_ex(dampened);
            if (info.max().item<int>() == 0)
            {
                var inverse = lower.cholesky_inverse();
                var (upperLower, info2) = linalg.cholesky_ex(inverse);
                if (info2.max().item<int>() == 0)
                    return upperLower.t().contiguous().MoveToOuterDisposeScope();
            }
            if (attempt == 3)
                throw new InvalidOperationException($"GPTQ: the layer's Hessian is not positive definite even with dampening {damp:G3}; give more calibration samples.");
            damp *= 10;
        }
    }
}
