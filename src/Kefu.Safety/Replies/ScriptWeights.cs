using System.Text;

namespace Kefu.Safety.Replies;

/// <summary>
/// How much of a text is Chinese and how much is another script, weighted so that one Latin word (≈ one Chinese
/// word of two characters) weighs 2. Tokens a Chinese reply legitimately carries are not counted: codes with digits
/// (ORD12345, ZTO731204568812, QH-RC301) and short upper-case acronyms (SF, QQ, VIP).
/// </summary>
internal readonly record struct ScriptWeights(double Han, double Foreign)
{
    private const double LatinWordWeight = 2;

    /// <summary>Han outweighs other scripts (a message with no letters at all counts as Chinese).</summary>
    public bool IsMostlyHan => Han >= Foreign;

    public static ScriptWeights Of(string text)
    {
        double han = 0, foreign = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = Fold(text[i]);
            if (char.IsAsciiLetter(c) || char.IsAsciiDigit(c))
            {
                var start = i;
                bool digits = false, lower = false;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(Fold(text[i])) || Fold(text[i]) is '-' or '_'))
                {
                    var t = Fold(text[i]);
                    digits |= char.IsAsciiDigit(t);
                    lower |= char.IsAsciiLetterLower(t);
                    i++;
                }
                var length = i - start;
                var acronym = !lower && length <= 4;
                if (!digits && !acronym && length > 1)
                    foreign += LatinWordWeight;
                continue;
            }
            if (!Rune.TryGetRuneAt(text, i, out var rune))
            {
                i++;
                continue;
            }
            if (IsHan(rune.Value))
                han++;
            else if (Rune.IsLetter(rune))
                foreign++;
            i += rune.Utf16SequenceLength;
        }
        return new ScriptWeights(han, foreign);
    }

    private static char Fold(char c) => c is >= '\uFF01' and <= '\uFF5E' ? (char)(c - 0xFEE0) : c;

    private static bool IsHan(int value) =>
        value is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0xF900 and <= 0xFAFF or >= 0x20000 and <= 0x3134F;
}
