namespace Kefu.Safety.Words;

/// <summary>A listed word found in a text.</summary>
/// <param name="Word">The word as listed (not as written in the text).</param>
/// <param name="Category">The category it is listed under.</param>
/// <param name="Start">Index of the match in the original text (a stream's hits count from the stream's start).</param>
/// <param name="Length">Length of the match in the original text, separators inserted between its characters included.</param>
/// <param name="MatchedText">The original text of the match ("敏 * 感", "ＱＱ").</param>
public sealed record SensitiveWordHit(string Word, WordCategory Category, int Start, int Length, string MatchedText)
{
    /// <summary>The action this hit calls for on text flowing in <paramref name="direction"/>.</summary>
    public SafetyAction ActionFor(TextDirection direction) => Category.ActionFor(direction);
}
