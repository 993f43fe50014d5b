using System.Text.Json;
using Kefu.Data.Building;
using Kefu.Model.Configuration;

namespace Kefu.Training.Data;

/// <summary>
/// A <c>kefu data build</c> folder opened for training: dataset.json checked against the model (format, tokenizer),
/// then train.jsonl and eval.jsonl read. A dataset rendered with another tokenizer is refused before any step runs.
/// </summary>
public sealed class SftDataset
{
    private SftDataset(string directory, IReadOnlyList<SftExample> train, IReadOnlyList<SftExample> eval, int? cutoff)
    {
        Directory = directory;
        Train = train;
        Eval = eval;
        Cutoff = cutoff;
    }

    public string Directory { get; }

    public IReadOnlyList<SftExample> Train { get; }

    public IReadOnlyList<SftExample> Eval { get; }

    /// <summary>The longest sample <c>kefu data build</c> kept (its --cutoff), when dataset.json says: the default packing length.</summary>
    public int? Cutoff { get; }

    /// <summary>A dataset held in memory (tests, benchmarks).</summary>
    public static SftDataset FromExamples(IReadOnlyList<SftExample> train, IReadOnlyList<SftExample>? eval = null, int? cutoff = null) =>
        new("(memory)", train, eval ?? [], cutoff);

    /// <summary>
    /// Opens <paramref name="directory"/> for a model of <paramref name="model"/> config whose folder is
    /// <paramref name="modelDirectory"/>; <paramref name="warn"/> hears when the tokenizer cannot be verified.
    /// </summary>
    public static SftDataset Open(string directory, Qwen2Config model, string? modelDirectory, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var manifest = Path.Combine(directory, "dataset.json");
        if (!File.Exists(manifest))
            throw new SftDatasetException($"{manifest}: file not found; --data must be a folder made by `kefu data build`.");
        var cutoff = CheckManifest(manifest, model, modelDirectory, warn);
        var train = SftJsonlReader.Read(Path.Combine(directory, "train.jsonl"), model.VocabSize);
        if (train.Count == 0)
            throw new SftDatasetException($"{Path.Combine(directory, "train.jsonl")}: has no samples.");
        var evalPath = Path.Combine(directory, "eval.jsonl");
        var eval = File.Exists(evalPath) ? SftJsonlReader.Read(evalPath, model.VocabSize) : [];
        return new SftDataset(directory, train, eval, cutoff);
    }

    /// <summary>Checks the format and tokenizer; returns the cutoff when dataset.json has one.</summary>
    private static int? CheckManifest(string path, Qwen2Config model, string? modelDirectory, Action<string>? warn)
    {
        using var document = ParseManifest(path);
        var root = document.RootElement;
        var format = root.TryGetProperty("format", out var f) ? f.GetString() : null;
        if (format != DatasetInfo.CurrentFormat)
            throw new SftDatasetException($"{path}: field format: expected \"{DatasetInfo.CurrentFormat}\", got \"{format}\"; rebuild the dataset with this version of kefu.");
        if (!root.TryGetProperty("tokenizer", out var tokenizer) || tokenizer.ValueKind != JsonValueKind.Object)
            throw new SftDatasetException($"{path}: field tokenizer: missing.");
        if (!tokenizer.TryGetProperty("vocab_size", out var vocab) || !vocab.TryGetInt32(out var vocabSize))
            throw new SftDatasetException($"{path}: field tokenizer.vocab_size: missing or not an integer.");
        if (vocabSize > model.VocabSize)
            throw new SftDatasetException($"{path}: field tokenizer.vocab_size: the dataset was rendered with a tokenizer of {vocabSize} tokens, but the model's vocabulary has {model.VocabSize}; rebuild the dataset with --tokenizer pointing at this model.");
        int? cutoff = root.TryGetProperty("cutoff", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var tokens) && tokens > 0 ? tokens : null;
        if (modelDirectory is null || !tokenizer.TryGetProperty("files_sha256", out var hashes) || hashes.ValueKind != JsonValueKind.Object)
            return cutoff;
        // The same file names with different contents mean a different tokenizer: ids would mean other text.
        var compared = 0;
        foreach (var entry in hashes.EnumerateObject())
        {
            var modelFile = Path.Combine(modelDirectory, entry.Name);
            if (!File.Exists(modelFile) || entry.Value.ValueKind != JsonValueKind.String)
                continue;
            compared++;
            using var stream = File.OpenRead(modelFile);
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
            if (!string.Equals(hash, entry.Value.GetString(), StringComparison.OrdinalIgnoreCase))
                throw new SftDatasetException($"{path}: field tokenizer.files_sha256.{entry.Name}: the dataset was rendered with another tokenizer than the model's ({modelFile} differs); rebuild it with `kefu data build --tokenizer {modelDirectory}`.");
        }
        // Only the vocabulary size was checked: a different tokenizer of no more tokens would train on ids that mean other text.
        if (compared == 0 && hashes.EnumerateObject().Any())
            warn?.Invoke($"{path}: the model folder {modelDirectory} has none of the tokenizer files the dataset was rendered with ({string.Join(", ", hashes.EnumerateObject().Select(e => e.Name))}), so only the vocabulary size could be checked; make sure the dataset was built with this model's tokenizer.");
        return cutoff;
    }

    private static JsonDocument ParseManifest(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new SftDatasetException($"{path}: line {e.LineNumber + 1}: not valid JSON ({e.Message}).", e);
        }
    }
}
