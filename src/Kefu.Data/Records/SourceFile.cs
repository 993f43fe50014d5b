using Kefu.Text;

namespace Kefu.Data.Records;

/// <summary>One input file of a dataset, with what the manifest (or detection) says about it.</summary>
/// <param name="FullPath">Absolute path, used to read the file.</param>
/// <param name="DisplayPath">The path shown in diagnostics: relative to the working folder when inside it.</param>
/// <param name="RelativePath">The path relative to the dataset folder, written into training records as their source.</param>
public sealed record SourceFile(string FullPath, string DisplayPath, string RelativePath)
{
    /// <summary>The format from the manifest; null means "detect from the content".</summary>
    public DatasetFormat? Format { get; init; }

    /// <summary>The manifest's default category for records without a <c>category</c> field.</summary>
    public DataCategory? DefaultCategory { get; init; }

    /// <summary>Tools declared by the manifest for records that declare none themselves.</summary>
    public IReadOnlyList<ToolDefinition> DefaultTools { get; init; } = [];

    /// <summary>The manifest's system prompt for records that have none (null: the chat template's default).</summary>
    public string? DefaultSystemPrompt { get; init; }

    /// <summary>True when the user named this file explicitly (or the manifest did): an unknown format is an error, not a skip.</summary>
    public bool Explicit { get; init; }
}
