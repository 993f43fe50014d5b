using Kefu.Data.Dedup;
using Kefu.Data.Mixing;
using Kefu.Data.Records;
using Kefu.Data.Rendering;
using Kefu.Data.Splitting;
using Kefu.Data.Validation;

namespace Kefu.Data.Building;

/// <summary>What a build knows when it writes its report.</summary>
internal sealed record BuildReportInputs(
    DatasetBuildOptions Options,
    ValidationReport Validation,
    IReadOnlyList<DataRecord> Deduplicated,
    IReadOnlyDictionary<DataRecord, RenderedSample> Rendered,
    IReadOnlyList<RenderedSample> OverCutoff,
    MixPlan Plan,
    TrainEvalSplit Split,
    IReadOnlyList<SimilarPair> SplitLeakage,
    IReadOnlyList<string> Warnings);
