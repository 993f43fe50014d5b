namespace Kefu.Safety.Words;

/// <summary>
/// A pattern found by the automaton. <see cref="Start"/>/<see cref="End"/> are indices in the original text (end
/// exclusive, separators inside included); the consumed range counts only the characters the automaton matched on,
/// which is where whitelist containment is decided.
/// </summary>
internal readonly record struct RawMatch(int Pattern, int Start, int End, int ConsumedStart, int ConsumedEnd);
