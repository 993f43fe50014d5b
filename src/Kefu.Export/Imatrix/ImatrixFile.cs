using System.Text;
using Kefu.Export.Gguf;

namespace Kefu.Export.Imatrix;

/// <summary>
/// llama.cpp's importance-matrix files, so a matrix made by llama-imatrix can be brought to Kefu and Kefu's can be
/// given to llama-quantize --imatrix:
/// <list type="bullet">
/// <item>GGUF (llama-imatrix's default): general.type "imatrix", imatrix.datasets (strings), imatrix.chunk_count and
/// imatrix.chunk_size (uint32); per weight, F32 tensors NAME.in_sum2 [columns, 1] (Σx²) and NAME.counts [1, 1]
/// (tokens). The importance is in_sum2 / counts, as llama-quantize computes it (a count of 0 reads as all ones).</item>
/// <item>The legacy .dat (read only): int32 entry count; per entry int32 name length, name, int32 ncall, int32 value
/// count, float32 values (mean × ncall); then int32 chunk count, int32 length and the dataset name. The importance
/// is values / ncall.</item>
/// </list>
/// Matrices with more than one row per entry (mixture-of-experts weights) are refused: Qwen2 has none.
/// </summary>
public static class ImatrixFile
{
    private const string InSum2 = ".in_sum2";
    private const string Counts = ".counts";

    /// <summary>Writes <paramref name="matrix"/> as a GGUF imatrix (atomically).</summary>
    public static void Write(string path, ImportanceMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Tokens <= 0)
            throw new ArgumentException("The importance matrix does not say how many tokens it averaged over; llama.cpp's file needs sums and counts.", nameof(matrix));
        var chunkSize = (uint)Math.Max(1, (matrix.Tokens + matrix.Chunks - 1) / Math.Max(1, matrix.Chunks));
        var metadata = new List<KeyValuePair<string, GgufValue>>
        {
            new("general.type", GgufValue.Of("imatrix")),
            new("imatrix.datasets", GgufValue.Strings([matrix.Dataset])),
            new("imatrix.chunk_count", GgufValue.Of((uint)matrix.Chunks)),
            new("imatrix.chunk_size", GgufValue.Of(chunkSize)),
        };
        var tokens = (float)matrix.Tokens;
        var tensors = new List<GgufTensorSource>();
        foreach (var (name, values) in matrix.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            // ggml stores a [columns, 1] tensor with its trailing 1 dropped (ggml_n_dims), so these are 1-D as in llama-imatrix's files.
            tensors.Add(new GgufTensorSource(name + InSum2, [values.Length], GgmlType.F32,
                () => GgmlQuants.FromFloats(values.Select(v => v * tokens).ToArray(), GgmlType.F32)));
            tensors.Add(new GgufTensorSource(name + Counts, [1], GgmlType.F32, () => GgmlQuants.FromFloats([tokens], GgmlType.F32)));
        }
        GgufWriter.Write(path, metadata, tensors);
    }

    /// <summary>Reads a GGUF or legacy .dat imatrix file.</summary>
    public static ImportanceMatrix Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: imatrix file not found.", path);
        Span<byte> magic = stackalloc byte[4];
        using (var stream = File.OpenRead(path))
        {
            if (stream.Read(magic) == 4 && BitConverter.ToUInt32(magic) == GgufWriter.Magic)
                return ReadGguf(path);
        }
        return ReadLegacy(path);
    }

    private static ImportanceMatrix ReadGguf(string path)
    {
        var file = GgufFile.Read(path);
        if (file.TryGet("general.type") is { } type && type.Value as string != "imatrix")
            throw new GgufFormatException($"{path}: general.type is '{type.Value}', not 'imatrix' (is this a model file?).");
        var entries = new Dictionary<string, float[]>(StringComparer.Ordinal);
        long tokens = 0;
        foreach (var tensor in file.Tensors.Where(t => t.Name.EndsWith(InSum2, StringComparison.Ordinal)))
        {
            var name = tensor.Name[..^InSum2.Length];
            var countsInfo = file.Tensors.FirstOrDefault(t => t.Name == name + Counts)
                ?? throw new GgufFormatException($"{path}: tensor {tensor.Name} has no {name + Counts} beside it.");
            if (tensor.Type != GgmlType.F32 || countsInfo.Type != GgmlType.F32)
                throw new GgufFormatException($"{path}: {name}: sums and counts must be F32.");
            if (countsInfo.ElementCount != 1)
                throw new GgufFormatException($"{path}: {name} has {countsInfo.ElementCount} matrices (a mixture-of-experts weight); Kefu exports Qwen2, which has none.");
            var sums = file.ReadFloats(tensor.Name);
            var count = file.ReadFloats(countsInfo.Name)[0];
            entries[name] = count > 0 ? sums.Select(s => s / count).ToArray() : Enumerable.Repeat(1f, sums.Length).ToArray();
            tokens = Math.Max(tokens, (long)count);
        }
        if (entries.Count == 0)
            throw new GgufFormatException($"{path}: no *.in_sum2 tensors: not a llama-imatrix file.");
        var datasets = file.TryGet("imatrix.datasets")?.Value as string[] ?? [];
        var chunks = file.TryGet("imatrix.chunk_count") is { } c ? (int)c.AsInteger() : 0;
        return new ImportanceMatrix(entries, string.Join(", ", datasets), chunks, tokens, Path.GetFullPath(path));
    }

    private static ImportanceMatrix ReadLegacy(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            var count = reader.ReadInt32();
            if (count < 1 || count > 1_000_000)
                throw new GgufFormatException($"{path}: neither GGUF nor a legacy imatrix .dat (entry count {count}).");
            var entries = new Dictionary<string, float[]>(StringComparer.Ordinal);
            var maxCalls = 0;
            for (var i = 0; i < count; i++)
            {
                var length = reader.ReadInt32();
                if (length < 1 || length > 4096)
                    throw new GgufFormatException($"{path}: entry {i + 1}: name length {length} is not plausible.");
                var name = Encoding.UTF8.GetString(reader.ReadBytes(length));
                var calls = reader.ReadInt32();
                var values = reader.ReadInt32();
                if (values < 1 || values > stream.Length / 4)
                    throw new GgufFormatException($"{path}: entry '{name}': {values} values is not plausible.");
                var vector = new float[values];
                for (var j = 0; j < values; j++)
                {
                    var v = reader.ReadSingle();
                    vector[j] = calls > 0 ? v / calls : v;
                }
                entries[name] = vector;
                maxCalls = Math.Max(maxCalls, calls);
            }
            var chunks = maxCalls;
            var dataset = "";
            if (stream.Position + 8 <= stream.Length)
            {
                chunks = reader.ReadInt32();
                var length = reader.ReadInt32();
                if (length > 0 && stream.Position + length <= stream.Length)
                    dataset = Encoding.UTF8.GetString(reader.ReadBytes(length));
            }
            return new ImportanceMatrix(entries, dataset, chunks, sourceFile: Path.GetFullPath(path));
        }
        catch (EndOfStreamException e)
        {
            throw new GgufFormatException($"{path}: the imatrix file ends early.", e);
        }
    }
}
