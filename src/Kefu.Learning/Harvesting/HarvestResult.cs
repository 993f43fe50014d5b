namespace Kefu.Learning.Harvesting;

/// <summary>What a harvest kept and why it dropped the rest.</summary>
/// <param name="Records">New, masked, de-duplicated records.</param>
/// <param name="Seen">Corrected answers read.</param>
/// <param name="DuplicatesOfExisting">Dropped: near-duplicates of the existing training data.</param>
/// <param name="DuplicatesInBatch">Dropped: near-duplicates of an earlier record of this harvest.</param>
/// <param name="Unusable">Dropped: empty after masking, or still holding personal data.</param>
/// <param name="Through">The newest corrected answer read (the next harvest starts after it).</param>
public sealed record HarvestResult(IReadOnlyList<HarvestedRecord> Records, int Seen, int DuplicatesOfExisting, int DuplicatesInBatch, int Unusable, DateTimeOffset? Through);
