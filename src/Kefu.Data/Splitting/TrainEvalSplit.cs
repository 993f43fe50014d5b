using Kefu.Data.Records;

namespace Kefu.Data.Splitting;

/// <summary>Training and held-out evaluation records.</summary>
public sealed record TrainEvalSplit(IReadOnlyList<DataRecord> Train, IReadOnlyList<DataRecord> Eval);
