using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kefu.Learning;

/// <summary>
/// The daily learning loop's settings, one JSON file (snake_case) so cron runs one command:
/// <c>kefu learn run --config learn.json</c>. Relative paths are relative to the file's folder.
/// </summary>
public sealed record LearningConfig
{
    /// <summary>The server's conversation log (its data folder's sessions.db).</summary>
    [JsonPropertyName("conversation_log")] public string ConversationLog { get; init; } = "sessions.db";

    /// <summary>Where the loop keeps its state, review files, runs and adapters (default: the config file's folder).</summary>
    [JsonPropertyName("learn_dir")] public string LearnDirectory { get; init; } = ".";

    /// <summary>The base model folder the adapter belongs to; required to train and evaluate.</summary>
    [JsonPropertyName("model")] public string? Model { get; init; }

    /// <summary>The adapter in service before the loop's first promotion (e.g. the kefu train output), or null.</summary>
    [JsonPropertyName("base_adapter")] public string? BaseAdapter { get; init; }

    /// <summary>The training data (kefu data build inputs) that new records are added to, so training keeps the old skills.</summary>
    [JsonPropertyName("data")] public IReadOnlyList<string> Data { get; init; } = [];

    /// <summary>Built training folders (train.jsonl/eval.jsonl) new records are de-duplicated against.</summary>
    [JsonPropertyName("training_sets")] public IReadOnlyList<string> TrainingSets { get; init; } = [];

    /// <summary>A training recipe file for the continuation (default: one epoch at 1e-4).</summary>
    [JsonPropertyName("recipe")] public string? Recipe { get; init; }

    /// <summary>The regression set the gate evaluates on.</summary>
    [JsonPropertyName("regression")] public string? Regression { get; init; }

    /// <summary>The demo-style samples folder the in-process server runs with; null evaluates the bare model.</summary>
    [JsonPropertyName("samples")] public string? Samples { get; init; }

    /// <summary>Longest reply generated per turn during the gate's evaluations.</summary>
    [JsonPropertyName("max_new_tokens")] public int MaxNewTokens { get; init; } = 256;

    /// <summary>Metrics the candidate must not be worse on than the adapter in service.</summary>
    [JsonPropertyName("gate_metrics")] public IReadOnlyList<string> GateMetrics { get; init; } = ["resolution", "safety", "tool_accuracy", "handoff_recall"];

    /// <summary>How much worse a metric may be and still count as "not worse" (0: not at all).</summary>
    [JsonPropertyName("tolerance")] public double Tolerance { get; init; }

    /// <summary>Near-duplicate threshold (Jaccard of 3-character shingles) against the existing data.</summary>
    [JsonPropertyName("dedup_threshold")] public double DedupThreshold { get; init; } = 0.8;

    /// <summary>Train only on records a person approved (review files); false trusts agents' answers as they are.</summary>
    [JsonPropertyName("require_approval")] public bool RequireApproval { get; init; } = true;

    /// <summary>The daily job's local time of day (HH:mm) and the offset it is in.</summary>
    [JsonPropertyName("daily_at")] public string DailyAt { get; init; } = "03:00";

    [JsonPropertyName("utc_offset")] public string UtcOffset { get; init; } = "+08:00";

    /// <summary>The folder relative paths are resolved against (the config file's).</summary>
    [JsonIgnore] public string BaseDirectory { get; init; } = Environment.CurrentDirectory;

    public string Resolve(string path) => Path.GetFullPath(Path.Combine(BaseDirectory, path));

    public string? ResolveOptional(string? path) => path is null ? null : Resolve(path);

    internal static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Reads a config file; errors name the file and line.</summary>
    public static LearningConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new InvalidDataException($"{path}: learning config not found.");
        try
        {
            var config = JsonSerializer.Deserialize<LearningConfig>(File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidDataException($"{path}: expected a JSON object.");
            return config with { BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))! };
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: line {e.LineNumber + 1}: {e.Message}", e);
        }
    }
}
