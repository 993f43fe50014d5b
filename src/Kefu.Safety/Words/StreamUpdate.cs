namespace Kefu.Safety.Words;

/// <summary>What a streaming filter lets through after a chunk.</summary>
/// <param name="Released">Text that is safe to send now (masked where the lexicon says so); may be empty.</param>
/// <param name="Blocked">
/// True once a word whose action is block was seen: nothing after it is ever released, and the caller replaces the
/// reply (the text released before the word contained no listed word).
/// </param>
/// <param name="NewHits">Hits decided by this call, with offsets from the start of the stream.</param>
public sealed record StreamUpdate(string Released, bool Blocked, IReadOnlyList<SensitiveWordHit> NewHits);
