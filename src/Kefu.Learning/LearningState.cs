using System.Text.Json;
using System.Text.Json.Serialization;
using Kefu.Evaluation.Reporting;

namespace Kefu.Learning;

/// <summary>What the loop remembers between runs: the newest corrected answer already harvested.</summary>
public sealed record LearningState
{
    [JsonPropertyName("harvested_through")] public DateTimeOffset? HarvestedThrough { get; init; }

    public static LearningState Load(LearningLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (!File.Exists(layout.StateFile))
            return new LearningState();
        try
        {
            return JsonSerializer.Deserialize<LearningState>(File.ReadAllText(layout.StateFile)) ?? new LearningState();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{layout.StateFile}: line {e.LineNumber + 1}: {e.Message}", e);
        }
    }

    public void Save(LearningLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        AtomicFile.WriteAllText(layout.StateFile, JsonSerializer.Serialize(this, LearningJson.Options));
    }
}
