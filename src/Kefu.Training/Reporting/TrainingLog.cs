using System.Text.Json;
using System.Text.Json.Serialization;
using Kefu.Training.Running;

namespace Kefu.Training.Reporting;

/// <summary>
/// train_log.jsonl: one JSON object per optimizer step ("train") or evaluation ("eval"), flushed as written so a
/// killed run keeps its history. On resume, lines past the checkpoint's step are dropped: they will be trained again.
/// </summary>
public sealed class TrainingLog : IDisposable
{
    public const string FileName = "train_log.jsonl";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly StreamWriter _writer;

    public TrainingLog(string outputDirectory, int keepUpToStep)
    {
        Path = System.IO.Path.Combine(outputDirectory, FileName);
        var kept = keepUpToStep > 0 && File.Exists(Path)
            ? File.ReadAllLines(Path).Where(l => !string.IsNullOrWhiteSpace(l) && Parse(l).Step <= keepUpToStep).ToList()
            : [];
        Entries.AddRange(kept.Select(Parse));
        File.WriteAllLines(Path, kept);
        _writer = new StreamWriter(Path, append: true) { AutoFlush = true };
    }

    public string Path { get; }

    public List<TrainingProgress> Entries { get; } = [];

    public void Write(TrainingProgress entry)
    {
        Entries.Add(entry);
        _writer.WriteLine(JsonSerializer.Serialize(entry, Options));
    }

    public static IReadOnlyList<TrainingProgress> Read(string path) =>
        File.ReadAllLines(path).Where(l => !string.IsNullOrWhiteSpace(l)).Select(Parse).ToList();

    private static TrainingProgress Parse(string line) =>
        JsonSerializer.Deserialize<TrainingProgress>(line, Options) ?? throw new InvalidDataException("empty log line");

    public void Dispose() => _writer.Dispose();
}
