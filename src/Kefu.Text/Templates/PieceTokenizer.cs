using System.Text;

namespace Kefu.Text.Templates;

/// <summary>
/// Turns rendered <see cref="ChatPiece"/>s into ids and a loss mask, giving exactly the ids of
/// <c>tokenizer.Encode(concatenated text)</c> whenever the contents hold no added-token strings.
/// </summary>
/// <remarks>
/// Encode splits the text at added tokens and BPE-encodes each stretch between them as one string. Encoding piece by
/// piece would differ where a piece boundary falls inside a BPE word ("assistant\n" + "\n…" is one "\n\n" token), so
/// this class does the same split: markup pieces are searched for added tokens, and all text between two added
/// tokens, markup and content alike, is encoded together. Contents are never searched, so a "&lt;|im_start|&gt;" a
/// customer typed stays plain text. Each token's mask comes from the pieces its bytes overlap.
/// </remarks>
internal sealed class PieceTokenizer
{
    private readonly Qwen2Tokenizer _tokenizer;
    private readonly List<int> _ids = [];
    private readonly List<bool> _mask = [];
    private readonly StringBuilder _stretch = new();
    private readonly List<(int ByteEnd, bool Trained)> _stretchParts = [];
    private int _stretchBytes;

    private PieceTokenizer(Qwen2Tokenizer tokenizer) => _tokenizer = tokenizer;

    public static TokenizedConversation Tokenize(Qwen2Tokenizer tokenizer, IEnumerable<ChatPiece> pieces)
    {
        var worker = new PieceTokenizer(tokenizer);
        foreach (var piece in pieces)
            worker.Add(piece);
        worker.FlushStretch();
        return new TokenizedConversation([.. worker._ids], [.. worker._mask]);
    }

    private void Add(ChatPiece piece)
    {
        if (piece.IsContent)
        {
            AppendToStretch(piece.Text, piece.Trained);
            return;
        }
        var position = 0;
        while (_tokenizer.AddedTokenMatcher.FindNext(piece.Text, position) is var (index, token))
        {
            AppendToStretch(piece.Text[position..index], piece.Trained);
            FlushStretch();
            _ids.Add(token.Id);
            _mask.Add(piece.Trained);
            position = index + token.Content.Length;
        }
        AppendToStretch(piece.Text[position..], piece.Trained);
    }

    // Pieces are NFC-normalised one by one. Every boundary between pieces has a starter that composes with nothing
    // on at least one side ('\n', '"', ' ', '<'), so this equals normalising the whole stretch, as Encode does.
    private void AppendToStretch(string text, bool trained)
    {
        if (text.Length == 0)
            return;
        var normalized = text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
        _stretch.Append(normalized);
        _stretchBytes += Encoding.UTF8.GetByteCount(normalized);
        _stretchParts.Add((_stretchBytes, trained));
    }

    private void FlushStretch()
    {
        if (_stretch.Length == 0)
            return;
        var firstId = _ids.Count;
        _tokenizer.EncodeOrdinaryInto(_stretch.ToString(), _ids);

        var tokenStart = 0;
        var part = 0;
        for (var i = firstId; i < _ids.Count; i++)
        {
            var tokenEnd = tokenStart + (_tokenizer.GetTokenBytes(_ids[i], skipSpecialTokens: false)?.Length ?? 0);
            // Trained when any byte of the token belongs to a trained piece.
            while (part < _stretchParts.Count - 1 && _stretchParts[part].ByteEnd <= tokenStart)
                part++;
            var trained = false;
            for (var p = part; p < _stretchParts.Count; p++)
            {
                trained |= _stretchParts[p].Trained;
                if (_stretchParts[p].ByteEnd >= tokenEnd)
                    break;
            }
            _mask.Add(trained);
            tokenStart = tokenEnd;
        }
        if (tokenStart != _stretchBytes)
            throw new InvalidOperationException($"Internal error: the tokens of a stretch cover {tokenStart} bytes, the stretch has {_stretchBytes}.");

        _stretch.Clear();
        _stretchParts.Clear();
        _stretchBytes = 0;
    }
}
