using Kefu.Data.Records;

namespace Kefu.Data.Reading;

/// <summary>What was read from one file.</summary>
/// <param name="File">The file.</param>
/// <param name="Format">The format used, or null when the file was unreadable or skipped.</param>
/// <param name="Records">Valid records read.</param>
public sealed record SourceSummary(SourceFile File, DatasetFormat? Format, int Records);
