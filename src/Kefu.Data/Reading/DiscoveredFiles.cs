using Kefu.Data.Records;

namespace Kefu.Data.Reading;

/// <summary>The training sources and evaluation sets that the PATH arguments resolve to.</summary>
internal sealed record DiscoveredFiles(IReadOnlyList<SourceFile> Sources, IReadOnlyList<SourceFile> EvalFiles);
