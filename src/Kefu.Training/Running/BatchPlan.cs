using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Kefu.Training.Data;

namespace Kefu.Training.Running;

/// <summary>
/// What decides which samples land in which micro-batch and in what order. `--resume` continues on "the exact next
/// batch" only if all of it is what the checkpoint was trained with: a different seed, batch size, accumulation,
/// packing or training set silently trains a different run whose loss curve merely looks continuous. Saved in
/// trainer_state.json and compared field by field on resume. Learning rates are left out on purpose: changing them
/// mid-run is a legitimate choice that does not move the data position.
/// </summary>
public sealed record BatchPlan
{
    [JsonPropertyName("seed")] public long Seed { get; init; }
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; }
    [JsonPropertyName("gradient_accumulation")] public int GradientAccumulation { get; init; }

    /// <summary>Tokens per packed row, or null when samples are not packed.</summary>
    [JsonPropertyName("packing_length")] public int? PackingLength { get; init; }

    /// <summary>Each stage as "name: epochs × samples, sha256 of the samples' ids and masks (16 hex digits)".</summary>
    [JsonPropertyName("stages")] public IReadOnlyList<string> Stages { get; init; } = [];

    public static BatchPlan For(TrainingRecipe recipe, int? packingLength, IReadOnlyList<(TrainingStage Stage, IReadOnlyList<SftExample> Samples)> stages) => new()
    {
        Seed = recipe.Seed,
        BatchSize = recipe.BatchSize,
        GradientAccumulation = recipe.GradientAccumulation,
        PackingLength = packingLength,
        Stages = stages.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{s.Stage.Name}: {s.Stage.Epochs} × {s.Samples.Count}, sha256 {Fingerprint(s.Samples)}")).ToList(),
    };

    /// <summary>Throws, naming the checkpoint file and the field, when <paramref name="current"/> differs from this saved plan.</summary>
    public void RequireSameAs(BatchPlan current, string statePath)
    {
        Require("seed", Seed, current.Seed);
        Require("batch_size", BatchSize, current.BatchSize);
        Require("gradient_accumulation", GradientAccumulation, current.GradientAccumulation);
        Require("packing_length", PackingLength?.ToString(CultureInfo.InvariantCulture) ?? "off (no packing)",
            current.PackingLength?.ToString(CultureInfo.InvariantCulture) ?? "off (no packing)");
        Require("stages", string.Join("; ", Stages), string.Join("; ", current.Stages));

        void Require<T>(string field, T saved, T now)
        {
            if (!EqualityComparer<T>.Default.Equals(saved, now))
                throw new InvalidDataException(
                    $"{statePath}: field batch_plan.{field}: the checkpoint was trained with {saved}, this run has {now}. " +
                    "--resume continues a run only with the same data and batching; restore those settings, or train into a new --out folder.");
        }
    }

    private static string Fingerprint(IReadOnlyList<SftExample> samples)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> word = stackalloc byte[4];
        foreach (var sample in samples)
        {
            BitConverter.TryWriteBytes(word, sample.Length);
            hash.AppendData(word);
            foreach (var id in sample.InputIds)
            {
                BitConverter.TryWriteBytes(word, id);
                hash.AppendData(word);
            }
            foreach (var masked in sample.LossMask)
                hash.AppendData(masked ? [1] : [0]);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
