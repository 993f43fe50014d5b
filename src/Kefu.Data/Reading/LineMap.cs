namespace Kefu.Data.Reading;

/// <summary>Maps byte offsets in a UTF-8 buffer to 1-based line numbers.</summary>
internal sealed class LineMap
{
    private readonly int[] _lineStarts;

    public LineMap(ReadOnlySpan<byte> utf8)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
                starts.Add(i + 1);
        }
        _lineStarts = [.. starts];
    }

    public int LineCount => _lineStarts.Length;

    /// <summary>The 1-based line holding <paramref name="byteOffset"/>.</summary>
    public int LineOf(long byteOffset)
    {
        var index = Array.BinarySearch(_lineStarts, (int)Math.Min(byteOffset, int.MaxValue));
        return index >= 0 ? index + 1 : ~index;
    }

    /// <summary>The byte offset where the 1-based <paramref name="line"/> starts.</summary>
    public int StartOf(int line) => _lineStarts[Math.Clamp(line - 1, 0, _lineStarts.Length - 1)];
}
