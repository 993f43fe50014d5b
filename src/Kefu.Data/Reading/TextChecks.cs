using System.Globalization;

namespace Kefu.Data.Reading;

/// <summary>Checks on the text of a field that every format shares.</summary>
internal static class TextChecks
{
    /// <summary>
    /// Describes the first character that has no business in training text, or returns null. C0 controls other than
    /// tab/LF/CR and C1 controls usually come from copy-paste out of other tools; a BOM inside text from concatenated
    /// files; U+FFFD from text that was decoded with the wrong encoding before it was saved.
    /// </summary>
    public static string? FindBadCharacter(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var bad = c switch
            {
                '\t' or '\n' or '\r' => null,
                < ' ' or (>= '\u007f' and <= '\u009f') => "control character",
                '\ufeff' => "byte-order mark inside the text",
                '\ufffd' => "replacement character (the text was decoded with the wrong encoding before it was saved)",
                _ => null,
            };
            if (bad is not null)
                return string.Create(CultureInfo.InvariantCulture, $"{bad} U+{(int)c:X4} at character {i + 1}");
        }
        return null;
    }

    public static bool IsBlank(string? text) => string.IsNullOrWhiteSpace(text);
}
