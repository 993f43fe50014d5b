using System.Text;

namespace Kefu.Safety.Words;

/// <summary>Replaces spans of a text with one asterisk per character (a surrogate pair counts as one).</summary>
internal static class Masking
{
    public const char MaskCharacter = '*';

    /// <summary>The text of <paramref name="text"/> with <paramref name="spans"/> (start, end exclusive) masked.</summary>
    public static string Apply(ReadOnlySpan<char> text, IReadOnlyList<(int Start, int End)> spans)
    {
        if (spans.Count == 0)
            return text.ToString();
        var masked = new bool[text.Length];
        foreach (var (start, end) in spans)
            masked.AsSpan(start, end - start).Fill(true);
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (!masked[i])
            {
                builder.Append(text[i]);
                continue;
            }
            builder.Append(MaskCharacter);
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) && masked[i + 1])
                i++;
        }
        return builder.ToString();
    }
}
