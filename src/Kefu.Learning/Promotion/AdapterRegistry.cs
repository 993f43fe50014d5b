using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kefu.Evaluation.Reporting;

namespace Kefu.Learning.Promotion;

/// <summary>
/// The adapter versions of the learning loop: <c>adapters/v0001</c>, <c>v0002</c>, … and <c>registry.json</c>
/// naming the one in service (<c>current</c>) and the one before it (<c>previous</c>). Promotion copies the candidate
/// into a new version and rewrites the registry atomically; rollback swaps current and previous. Nothing is deleted,
/// so any version can be served again.
/// </summary>
public sealed class AdapterRegistry(string directory, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public string Directory { get; } = Path.GetFullPath(directory);

    private string RegistryFile => Path.Combine(Directory, "registry.json");

    public RegistryState Read()
    {
        if (!File.Exists(RegistryFile))
            return new RegistryState();
        try
        {
            return JsonSerializer.Deserialize<RegistryState>(File.ReadAllText(RegistryFile)) ?? new RegistryState();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{RegistryFile}: line {e.LineNumber + 1}: {e.Message}", e);
        }
    }

    /// <summary>The folder of the adapter in service, or null when none was promoted yet.</summary>
    public string? CurrentPath => Read().Current is { } v ? Path.Combine(Directory, v) : null;

    /// <summary>
    /// The adapter folder to serve for <paramref name="path"/>: the current version when it is a learning loop's
    /// adapters folder (it holds registry.json), else the path itself.
    /// </summary>
    public static string ServingPath(string path)
    {
        var registry = new AdapterRegistry(path);
        if (!File.Exists(registry.RegistryFile))
            return path;
        return registry.CurrentPath ?? throw new InvalidOperationException($"{registry.RegistryFile}: no adapter has been promoted yet.");
    }

    /// <summary>Copies <paramref name="candidate"/> (an adapter folder) in as the next version and makes it current.</summary>
    public string Promote(string candidate, string reason)
    {
        var state = Read();
        var next = "v" + (state.Versions.Count + 1).ToString("D4", CultureInfo.InvariantCulture);
        var target = Path.Combine(Directory, next);
        CopyAdapter(candidate, target);
        Write(state with
        {
            Current = next,
            Previous = state.Current,
            Versions = [.. state.Versions, new RegistryEntry(next, Path.GetFullPath(candidate), reason, _time.GetUtcNow())],
        });
        return target;
    }

    /// <summary>Serves the previous version again (current and previous swap); throws when there is none.</summary>
    public string Rollback()
    {
        var state = Read();
        if (state.Previous is null)
            throw new InvalidOperationException($"{RegistryFile}: there is no previous adapter to roll back to.");
        Write(state with { Current = state.Previous, Previous = state.Current });
        return Path.Combine(Directory, state.Previous);
    }

    private void Write(RegistryState state) =>
        AtomicFile.WriteAllText(RegistryFile, JsonSerializer.Serialize(state, LearningJson.Options));

    // Only the adapter's own files (weights and config), not checkpoints or logs.
    private static void CopyAdapter(string source, string target)
    {
        var files = System.IO.Directory.GetFiles(source).Where(f => Path.GetFileName(f) is "adapter_model.safetensors" or "adapter_config.json").ToList();
        if (files.Count < 2)
            throw new InvalidDataException($"{source}: not an adapter folder (needs adapter_model.safetensors and adapter_config.json).");
        var staging = target + ".tmp";
        if (System.IO.Directory.Exists(staging))
            System.IO.Directory.Delete(staging, recursive: true);
        System.IO.Directory.CreateDirectory(staging);
        foreach (var file in files)
            File.Copy(file, Path.Combine(staging, Path.GetFileName(file)));
        System.IO.Directory.Move(staging, target);
    }
}

/// <summary>registry.json: the version in service, the one before, and every version with why it was promoted.</summary>
public sealed record RegistryState
{
    [JsonPropertyName("current")] public string? Current { get; init; }
    [JsonPropertyName("previous")] public string? Previous { get; init; }
    [JsonPropertyName("versions")] public IReadOnlyList<RegistryEntry> Versions { get; init; } = [];
}

/// <summary>One promoted version.</summary>
public sealed record RegistryEntry(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("at")] DateTimeOffset At);
