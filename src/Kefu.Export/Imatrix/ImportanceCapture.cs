using static TorchSharp.torch;

namespace Kefu.Export.Imatrix;

/// <summary>
/// Sits in place of a linear layer while calibration text runs and adds up, per input column, the squares of the
/// activations the layer receives (llama-imatrix's Σx² per column, one count per token), then passes the input on
/// unchanged. Sums are kept in float64 so long calibration runs do not lose the small columns.
/// </summary>
internal sealed class ImportanceCapture : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> _inner;
    private readonly Tensor _sumOfSquares;

    public ImportanceCapture(nn.Module<Tensor, Tensor> inner, long inFeatures) : base(nameof(ImportanceCapture))
    {
        _inner = inner;
        _sumOfSquares = zeros([inFeatures], ScalarType.Float64);
    }

    /// <summary>The layer this capture wraps; put it back when done.</summary>
    public nn.Module<Tensor, Tensor> Inner => _inner;

    /// <summary>Tokens seen (rows of input).</summary>
    public long Tokens { get; private set; }

    /// <summary>Σx² / tokens per column (zeros before any input).</summary>
    public float[] MeanSquares()
    {
        var sums = _sumOfSquares.data<double>().ToArray();
        return sums.Select(s => Tokens == 0 ? 0f : (float)(s / Tokens)).ToArray();
    }

    public override Tensor forward(Tensor input)
    {
        using (NewDisposeScope())
        using (no_grad())
        {
            var x = input.reshape(-1, input.shape[^1]).to(ScalarType.Float64, CPU);
            _sumOfSquares.add_(x.square().sum([0L]));
            Tokens += x.shape[0];
        }
        return _inner.call(input);
    }

    protected override void RegisterComponents() { }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _sumOfSquares.Dispose();
        base.Dispose(disposing);
    }
}
