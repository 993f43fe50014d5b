using System.Text.Json.Serialization;

namespace Kefu.Learning;

/// <summary>What one run of the loop did; written as runs/&lt;id&gt;/learn.json and learn.md.</summary>
public sealed record LearningRunReport
{
    [JsonPropertyName("run_id")] public required string RunId { get; init; }
    [JsonPropertyName("started_at")] public required DateTimeOffset StartedAt { get; init; }
    [JsonPropertyName("corrections_read")] public int CorrectionsRead { get; init; }
    [JsonPropertyName("harvested")] public int Harvested { get; init; }
    [JsonPropertyName("duplicates_of_existing")] public int DuplicatesOfExisting { get; init; }
    [JsonPropertyName("duplicates_in_batch")] public int DuplicatesInBatch { get; init; }
    [JsonPropertyName("unusable")] public int Unusable { get; init; }
    [JsonPropertyName("review_file")] public string? ReviewFile { get; init; }
    [JsonPropertyName("approved_merged")] public int ApprovedMerged { get; init; }
    [JsonPropertyName("baseline_adapter")] public string? BaselineAdapter { get; init; }
    [JsonPropertyName("candidate_adapter")] public string? CandidateAdapter { get; init; }
    [JsonPropertyName("baseline_metrics")] public IReadOnlyDictionary<string, double>? BaselineMetrics { get; init; }
    [JsonPropertyName("candidate_metrics")] public IReadOnlyDictionary<string, double>? CandidateMetrics { get; init; }
    [JsonPropertyName("gate")] public IReadOnlyList<string> Gate { get; init; } = [];
    [JsonPropertyName("promoted_version")] public string? PromotedVersion { get; init; }

    /// <summary>promoted, refused, nothing-to-train, or failed.</summary>
    [JsonPropertyName("outcome")] public required string Outcome { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("exit_code")] public int ExitCode { get; init; }
}
