namespace Kefu.Text.Tokenization;

/// <summary>
/// GPT-2's <c>bytes_to_unicode</c> table, which Qwen2's byte-level BPE uses: every byte maps to one printable
/// character, so vocab.json stores byte sequences as ordinary strings (space is 'Ġ', newline is 'Ċ').
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = BuildByteToChar();
    private static readonly Dictionary<char, byte> CharToByte = BuildCharToByte(ByteToChar);

    /// <summary>The character that stands for <paramref name="value"/> in vocab.json and merges.txt.</summary>
    public static char Encode(byte value) => ByteToChar[value];

    /// <summary>
    /// The bytes a vocab.json token stands for, or null when the token holds a character outside the alphabet
    /// (which a byte-level vocabulary never does: such a file is not a byte-level BPE vocabulary).
    /// </summary>
    public static byte[]? TryDecodeToken(string token)
    {
        var bytes = new byte[token.Length];
        for (var i = 0; i < token.Length; i++)
        {
            if (!CharToByte.TryGetValue(token[i], out var b))
                return null;
            bytes[i] = b;
        }
        return bytes;
    }

    private static char[] BuildByteToChar()
    {
        // As in GPT-2's encoder.py: printable Latin-1 bytes map to themselves, the other 68 bytes to U+0100 upwards.
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }

    private static Dictionary<char, byte> BuildCharToByte(char[] byteToChar)
    {
        var map = new Dictionary<char, byte>(256);
        for (var b = 0; b < 256; b++)
            map[byteToChar[b]] = (byte)b;
        return map;
    }
}
