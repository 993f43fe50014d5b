using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Kefu.Text.Tokenization;

/// <summary>
/// Qwen2's pre-tokenizer, hand-written so that it works on code points as the reference (Oniguruma, in Hugging Face
/// tokenizers) does. The pattern it implements is
/// <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</c>.
/// A .NET <see cref="System.Text.RegularExpressions.Regex"/> with the same pattern sees UTF-16 code units, so a letter
/// outside the BMP (CJK extension B, e.g. 𠮷, common in Chinese names) would not count as <c>\p{L}</c> and the text
/// would split differently from the reference; this scanner does not have that flaw, and is faster.
/// </summary>
internal sealed class Qwen2PreTokenizer : PreTokenizer
{
    public static Qwen2PreTokenizer Instance { get; } = new();

    private enum Kind { Letter, Number, Space, LineBreak, Other, End }

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Split(text.AsSpan());

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text);

    /// <summary>Splits <paramref name="text"/> into the pieces the Qwen2 pattern matches, in order, covering all of it.</summary>
    public static List<(int Offset, int Length)> Split(ReadOnlySpan<char> text)
    {
        var pieces = new List<(int Offset, int Length)>(text.Length / 3 + 1);
        var position = 0;
        while (position < text.Length)
        {
            var end = MatchAt(text, position);
            pieces.Add((position, end - position));
            position = end;
        }
        return pieces;
    }

    // Tries the pattern's alternatives in order at `start` and returns where the first one that matches ends.
    private static int MatchAt(ReadOnlySpan<char> text, int start)
    {
        if (text[start] == '\'' && MatchContraction(text, start) is > 0 and var contractionEnd)
            return contractionEnd;

        var first = Classify(text, start, out var firstLength);
        var afterFirst = start + firstLength;

        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (first == Kind.Letter)
            return SkipWhile(text, afterFirst, Kind.Letter);
        if (first is Kind.Space or Kind.Other && Classify(text, afterFirst, out _) == Kind.Letter)
            return SkipWhile(text, afterFirst, Kind.Letter);

        // \p{N}: a single digit, so numbers split per digit.
        if (first == Kind.Number)
            return afterFirst;

        // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
        var symbolStart = text[start] == ' ' && Classify(text, afterFirst, out _) == Kind.Other ? afterFirst : start;
        if (Classify(text, symbolStart, out _) == Kind.Other)
        {
            var end = SkipWhile(text, symbolStart, Kind.Other);
            while (end < text.Length && text[end] is '\r' or '\n')
                end++;
            return end;
        }

        // What is left starts with white space.
        var runEnd = start;
        var lastLineBreakEnd = -1;
        while (runEnd < text.Length)
        {
            var kind = Classify(text, runEnd, out var length);
            if (kind is not (Kind.Space or Kind.LineBreak))
                break;
            runEnd += length;
            if (kind == Kind.LineBreak)
                lastLineBreakEnd = runEnd;
        }
        // \s*[\r\n]+ : up to and including the run's last line break.
        if (lastLineBreakEnd > 0)
            return lastLineBreakEnd;
        // \s+(?!\S) : the run, less its last character when something other than white space follows it.
        if (runEnd == text.Length)
            return runEnd;
        if (runEnd - start >= 2)
            return runEnd - 1;
        // \s+
        return runEnd;
    }

    // (?i:'s|'t|'re|'ve|'m|'ll|'d), with the case folding Oniguruma applies ('ſ' folds to 's').
    private static int MatchContraction(ReadOnlySpan<char> text, int start)
    {
        if (start + 1 >= text.Length)
            return 0;
        var second = text[start + 1];
        switch (second)
        {
            case 's' or 'S' or 'ſ' or 't' or 'T' or 'm' or 'M' or 'd' or 'D':
                return start + 2;
            case 'r' or 'R' or 'v' or 'V':
                return start + 2 < text.Length && text[start + 2] is 'e' or 'E' ? start + 3 : 0;
            case 'l' or 'L':
                return start + 2 < text.Length && text[start + 2] is 'l' or 'L' ? start + 3 : 0;
            default:
                return 0;
        }
    }

    private static int SkipWhile(ReadOnlySpan<char> text, int position, Kind kind)
    {
        while (position < text.Length && Classify(text, position, out var length) == kind)
            position += length;
        return position;
    }

    private static Kind Classify(ReadOnlySpan<char> text, int position, out int length)
    {
        length = 1;
        if (position >= text.Length)
            return Kind.End;
        var c = text[position];
        if (c < 0x80)
            return ClassifyAscii(c);

        Rune rune;
        if (char.IsHighSurrogate(c) && position + 1 < text.Length && char.IsLowSurrogate(text[position + 1]))
        {
            rune = new Rune(c, text[position + 1]);
            length = 2;
        }
        else if (!Rune.TryCreate(c, out rune))
        {
            return Kind.Other; // a lone surrogate: neither letter, number nor space
        }

        if (Rune.IsWhiteSpace(rune))
            return Kind.Space; // only \r and \n count as line breaks in the pattern
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => Kind.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => Kind.Number,
            _ => Kind.Other,
        };
    }

    private static Kind ClassifyAscii(char c) => c switch
    {
        '\r' or '\n' => Kind.LineBreak,
        ' ' or '\t' or '\v' or '\f' => Kind.Space,
        >= 'a' and <= 'z' or >= 'A' and <= 'Z' => Kind.Letter,
        >= '0' and <= '9' => Kind.Number,
        _ => Kind.Other,
    };
}
