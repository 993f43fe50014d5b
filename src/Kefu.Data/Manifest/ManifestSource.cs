using Kefu.Data.Records;
using Kefu.Text;

namespace Kefu.Data.Manifest;

/// <summary>One entry of <c>sources</c> in <c>kefu-data.json</c>.</summary>
/// <param name="Path">Relative to the manifest's folder; <c>*</c> and <c>?</c> may be used in the file-name part.</param>
/// <param name="Line">The manifest line of this entry, for diagnostics.</param>
public sealed record ManifestSource(string Path, int Line)
{
    /// <summary>The declared format, or null to detect it from the content.</summary>
    public DatasetFormat? Format { get; init; }

    /// <summary>The category of records that carry no <c>category</c> field.</summary>
    public DataCategory? Category { get; init; }

    /// <summary>System prompt for records without one; null to use the manifest-wide default.</summary>
    public string? System { get; init; }

    /// <summary>Tools for records that declare none; null to use the manifest-wide default.</summary>
    public IReadOnlyList<ToolDefinition>? Tools { get; init; }
}
