namespace Kefu.Export.Imatrix;

/// <summary>
/// An importance matrix as llama.cpp's llama-imatrix makes one: for each weight matrix that multiplies activations
/// (by GGUF tensor name, e.g. blk.3.attn_q.weight), the mean over calibration tokens of each input column's squared
/// activation. llama-quantize hands each vector to ggml_quantize_chunk, which then weights every value's rounding
/// error by how strongly its column is driven: the error that reaches the outputs shrinks.
/// </summary>
public sealed class ImportanceMatrix
{
    private readonly Dictionary<string, float[]> _entries;

    /// <param name="entries">Mean squares by GGUF tensor name.</param>
    /// <param name="dataset">Where the calibration text came from.</param>
    /// <param name="chunks">Calibration sequences (llama-imatrix: chunks of its context size).</param>
    /// <param name="tokens">Tokens each entry averaged over (llama-imatrix's counts), so the sums can be written back.</param>
    /// <param name="sourceFile">The imatrix file this was read from, if any (quantize.imatrix.file).</param>
    public ImportanceMatrix(IReadOnlyDictionary<string, float[]> entries, string dataset, int chunks, long tokens = 0, string? sourceFile = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(dataset);
        _entries = new Dictionary<string, float[]>(entries, StringComparer.Ordinal);
        Dataset = dataset;
        Chunks = chunks;
        Tokens = tokens;
        SourceFile = sourceFile;
    }

    /// <summary>Importance vectors by GGUF tensor name, one value per input column.</summary>
    public IReadOnlyDictionary<string, float[]> Entries => _entries;

    /// <summary>Where the calibration text came from (quantize.imatrix.dataset).</summary>
    public string Dataset { get; }

    /// <summary>How many calibration sequences were run (quantize.imatrix.chunks_count).</summary>
    public int Chunks { get; }

    /// <summary>Tokens each entry averaged over (0 when unknown).</summary>
    public long Tokens { get; }

    /// <summary>The imatrix file this matrix was read from, or null when Kefu computed it.</summary>
    public string? SourceFile { get; }

    /// <summary>The vector for <paramref name="ggufName"/>, or null when the matrix has none (that tensor is quantized plainly, as llama-quantize does).</summary>
    public float[]? For(string ggufName) => _entries.GetValueOrDefault(ggufName);
}
