namespace Kefu.Model.Generation;

/// <summary>
/// A piece of streamed text: whole UTF-8 characters only (a Chinese character split over two tokens arrives once
/// both are in). The last chunk carries the finish reason and may have empty text.
/// </summary>
public sealed record TextChunk(string Text, IReadOnlyList<int> TokenIds, GenerationFinishReason? FinishReason = null);
