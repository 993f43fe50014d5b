using Kefu.Text;

namespace Kefu.Data.Records;

/// <summary>
/// One training sample, whatever format it came from, as the ChatML turns the model will see.
/// </summary>
/// <param name="Id">The record's own id, or <c>path:line</c> when it has none.</param>
/// <param name="File">The file it came from.</param>
/// <param name="Line">The 1-based line where the record starts.</param>
/// <param name="Format">The format it was read as.</param>
/// <param name="Turns">System (optional), user, assistant and tool turns; ends with an assistant turn.</param>
/// <param name="Tools">The tools the conversation may call (record-level, or the manifest's default).</param>
public sealed record DataRecord(
    string Id,
    SourceFile File,
    int Line,
    DatasetFormat Format,
    IReadOnlyList<ChatTurn> Turns,
    IReadOnlyList<ToolDefinition> Tools)
{
    /// <summary>The record's category.</summary>
    public DataCategory Category { get; init; }

    /// <summary>Where <see cref="Category"/> came from.</summary>
    public CategorySource CategorySource { get; init; }

    /// <summary>Why an inferred category was chosen (e.g. <c>keyword '转人工'</c>); empty for field and manifest.</summary>
    public string CategoryReason { get; init; } = "";

    /// <summary>True when <see cref="Id"/> came from the data rather than being generated.</summary>
    public bool HasExplicitId { get; init; }

    /// <summary><c>display-path:line</c>, as diagnostics print it.</summary>
    public string Location => $"{File.DisplayPath}:{Line}";

    /// <summary><c>relative-path:line</c>, as training records store it.</summary>
    public string Source => $"{File.RelativePath}:{Line}";
}
