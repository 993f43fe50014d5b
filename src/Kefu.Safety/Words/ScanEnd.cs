namespace Kefu.Safety.Words;

/// <summary>
/// Where a scan stopped. <see cref="HeldStart"/> is the original index from which a later character could still
/// complete a pattern (the start of the longest suffix that is an extendable pattern prefix), or the text's length
/// when nothing is pending; a streaming filter may release everything before it.
/// </summary>
internal readonly record struct ScanEnd(int HeldStart, int HeldConsumedStart, int LastClass);
