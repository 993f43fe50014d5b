namespace Kefu.Text;

/// <summary>
/// Normalised text with, for each of its characters, the index of the character it came from in the original, so
/// that a match found in <paramref name="Text"/> can be shown or masked in the original.
/// </summary>
public sealed record NormalizedText(string Text, int[] SourceIndex)
{
    /// <summary>The original range (start, length) that the normalised range [start, start + length) came from.</summary>
    public (int Start, int Length) ToSource(int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + length, Text.Length);
        var sourceStart = SourceIndex[start];
        var sourceEnd = SourceIndex[start + length - 1] + 1;
        return (sourceStart, sourceEnd - sourceStart);
    }
}
