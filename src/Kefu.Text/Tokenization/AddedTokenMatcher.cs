using System.Buffers;

namespace Kefu.Text.Tokenization;

/// <summary>
/// Finds added tokens in text before BPE runs, leftmost first and, among those starting at the same place, longest
/// first (Hugging Face's added-vocabulary split uses Aho-Corasick with that match kind).
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly Dictionary<char, AddedToken[]> _byFirstChar;
    private readonly SearchValues<char> _firstChars;

    public AddedTokenMatcher(IEnumerable<AddedToken> tokens)
    {
        _byFirstChar = tokens
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ToArray());
        _firstChars = SearchValues.Create([.. _byFirstChar.Keys]);
    }

    /// <summary>The next added token at or after <paramref name="start"/>, or null.</summary>
    public (int Index, AddedToken Token)? FindNext(string text, int start)
    {
        var position = start;
        while (position < text.Length)
        {
            var found = text.AsSpan(position).IndexOfAny(_firstChars);
            if (found < 0)
                return null;
            position += found;
            foreach (var token in _byFirstChar[text[position]])
            {
                if (text.AsSpan(position).StartsWith(token.Content, StringComparison.Ordinal))
                    return (position, token);
            }
            position++;
        }
        return null;
    }
}
