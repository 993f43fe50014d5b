using System.Text;

namespace Kefu.Text;

/// <summary>
/// Decodes a stream of token ids as they are generated. A Chinese character often spans two or three byte-level
/// tokens; <see cref="Append"/> returns only the text whose UTF-8 is complete and keeps the rest for the next id,
/// so a stream never shows half a character. <see cref="Flush"/> ends the stream (an unfinished character becomes
/// U+FFFD). The concatenated output equals <see cref="Qwen2Tokenizer.Decode"/> of all the ids. Not thread-safe:
/// one decoder per stream.
/// </summary>
public sealed class IncrementalDecoder
{
    private readonly Qwen2Tokenizer _tokenizer;
    private readonly bool _skipSpecialTokens;
    private readonly Decoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();

    internal IncrementalDecoder(Qwen2Tokenizer tokenizer, bool skipSpecialTokens)
    {
        _tokenizer = tokenizer;
        _skipSpecialTokens = skipSpecialTokens;
    }

    /// <summary>Adds one id; returns the text that is now complete (often empty).</summary>
    public string Append(int id)
    {
        var bytes = _tokenizer.GetTokenBytes(id, _skipSpecialTokens);
        return bytes is null ? string.Empty : DecodeBytes(bytes, flush: false);
    }

    /// <summary>Ends the stream: returns what is left (U+FFFD for an unfinished character) and starts afresh.</summary>
    public string Flush() => DecodeBytes([], flush: true);

    private string DecodeBytes(ReadOnlySpan<byte> bytes, bool flush)
    {
        var count = _utf8.GetCharCount(bytes, flush);
        if (count == 0)
        {
            // Still feed the decoder: it keeps the bytes of an unfinished character for later.
            _utf8.GetChars(bytes, [], flush);
            return string.Empty;
        }
        var chars = count <= 256 ? stackalloc char[count] : new char[count];
        var written = _utf8.GetChars(bytes, chars, flush);
        return new string(chars[..written]);
    }
}
