using Kefu.Data.Records;

namespace Kefu.Data.Mixing;

/// <summary>What the mix did with one category.</summary>
/// <param name="Category">The category.</param>
/// <param name="Available">Usable records before mixing.</param>
/// <param name="Wanted">What the target ratio and size asked for.</param>
/// <param name="Selected">What was taken (never more than available: nothing is up-sampled).</param>
/// <param name="TargetShare">Target share, 0–1.</param>
/// <param name="ActualShare">Share in the mixed set, 0–1.</param>
public sealed record CategoryMix(DataCategory Category, int Available, int Wanted, int Selected, double TargetShare, double ActualShare)
{
    /// <summary>Actual minus target share, in percentage points.</summary>
    public double DeviationPoints => (ActualShare - TargetShare) * 100;
}
