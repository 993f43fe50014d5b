using System.Buffers;
using System.Collections.ObjectModel;
using System.Text;
using Kefu.Text.Tokenization;
using Microsoft.ML.Tokenizers;

namespace Kefu.Text;

/// <summary>
/// Qwen2's byte-level BPE tokenizer, built on Microsoft.ML.Tokenizers from a model folder's vocab.json and merges.txt.
/// Encoding follows Hugging Face's Qwen2TokenizerFast: added tokens (<c>&lt;|im_start|&gt;</c> …) are split out of the
/// text first, then each remaining piece is NFC-normalised, pre-tokenised with Qwen2's pattern and BPE-merged.
/// Instances are immutable and safe to share between threads.
/// </summary>
public sealed class Qwen2Tokenizer
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly BpeTokenizer _bpe;
    private readonly byte[]?[] _tokenBytes;
    private readonly Dictionary<int, AddedToken> _addedById;
    private readonly AddedTokenMatcher _matcher;

    private Qwen2Tokenizer(string vocabPath, Dictionary<string, int> vocabulary, List<string> merges, IReadOnlyList<AddedToken> addedTokens, string addedTokensSource)
    {
        _addedById = ValidateAddedTokens(addedTokens, addedTokensSource);
        AddedTokens = [.. addedTokens.OrderBy(t => t.Id)];
        SpecialTokens = new ReadOnlyDictionary<string, int>(addedTokens.ToDictionary(t => t.Content, t => t.Id, StringComparer.Ordinal));
        _matcher = new AddedTokenMatcher(addedTokens);
        EndOfTextId = RequiredId("<|endoftext|>", addedTokensSource);
        ImStartId = RequiredId("<|im_start|>", addedTokensSource);
        ImEndId = RequiredId("<|im_end|>", addedTokensSource);

        var size = Math.Max(vocabulary.Values.Max(), addedTokens.Max(t => t.Id)) + 1;
        _tokenBytes = new byte[size][];
        foreach (var (token, id) in vocabulary)
        {
            _tokenBytes[id] = ByteLevelAlphabet.TryDecodeToken(token)
                ?? throw new TokenizerLoadException(vocabPath, null, $"token {Quoting.Quote(token)} (id {id}) has a character outside the byte-level alphabet; this is not a byte-level BPE vocabulary.");
        }
        foreach (var token in addedTokens)
            _tokenBytes[token.Id] = Utf8.GetBytes(token.Content);

        _bpe = BpeTokenizer.Create(new BpeOptions(vocabulary)
        {
            Merges = merges,
            ByteLevel = true,
            // Added tokens are split out before the BPE sees the text, so its pre-tokenizer needs none.
            PreTokenizer = Qwen2PreTokenizer.Instance,
        });
    }

    /// <summary>Ids 0..VocabularySize-1, added tokens included (151646 for Qwen2, 151665 for Qwen2.5).</summary>
    public int VocabularySize => _tokenBytes.Length;

    public int EndOfTextId { get; }

    public int ImStartId { get; }

    public int ImEndId { get; }

    /// <summary>
    /// Every added token (content → id): the strings <see cref="Encode"/> turns into single ids before BPE. This
    /// includes added tokens that are not special (Qwen2.5's <c>&lt;tool_call&gt;</c>); see <see cref="AddedTokens"/>.
    /// </summary>
    public IReadOnlyDictionary<string, int> SpecialTokens { get; }

    /// <summary>The added tokens, by id, with their special flag.</summary>
    public IReadOnlyList<AddedToken> AddedTokens { get; }

    /// <summary>
    /// Loads vocab.json and merges.txt from a model folder, with its added tokens from tokenizer.json,
    /// tokenizer_config.json or added_tokens.json (the first that declares any); when none does, Qwen2's three
    /// special tokens. Throws <see cref="TokenizerLoadException"/> naming the file (and line) at fault.
    /// </summary>
    public static Qwen2Tokenizer FromDirectory(string modelDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        if (!Directory.Exists(modelDirectory))
            throw new TokenizerLoadException(modelDirectory, null, "the model folder does not exist.");
        var (added, source) = AddedTokenFiles.Read(modelDirectory) is { } fromFiles
            ? (fromFiles.Tokens, fromFiles.Path)
            : (QwenAddedTokens.Qwen2, "the built-in Qwen2 special tokens");
        return FromFiles(Path.Combine(modelDirectory, "vocab.json"), Path.Combine(modelDirectory, "merges.txt"), added, source);
    }

    /// <summary>
    /// Loads vocab.json and merges.txt from the given paths with the given added tokens (default: Qwen2's three,
    /// <see cref="QwenAddedTokens.Qwen2"/>; Qwen2.5's are <see cref="QwenAddedTokens.Qwen25"/>).
    /// </summary>
    public static Qwen2Tokenizer FromFiles(string vocabPath, string mergesPath, IReadOnlyList<AddedToken>? addedTokens = null) =>
        FromFiles(vocabPath, mergesPath, addedTokens ?? QwenAddedTokens.Qwen2, "the added tokens given");

    private static Qwen2Tokenizer FromFiles(string vocabPath, string mergesPath, IReadOnlyList<AddedToken> addedTokens, string addedTokensSource)
    {
        var vocabulary = VocabularyFile.Read(vocabPath);
        var merges = MergesFile.Read(mergesPath, vocabulary);
        return new Qwen2Tokenizer(vocabPath, vocabulary, merges, addedTokens, addedTokensSource);
    }

    /// <summary>Encodes text, turning added-token strings such as <c>&lt;|im_start|&gt;</c> into their ids.</summary>
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 2 + 4);
        var position = 0;
        while (_matcher.FindNext(text, position) is var (index, token))
        {
            EncodeOrdinaryInto(text.Substring(position, index - position), ids);
            ids.Add(token.Id);
            position = index + token.Content.Length;
        }
        EncodeOrdinaryInto(position == 0 ? text : text[position..], ids);
        return ids;
    }

    /// <summary>
    /// Encodes text as plain text: a <c>&lt;|im_start|&gt;</c> inside it becomes the BPE tokens of those characters,
    /// never the control token. Use it for anything a customer (or a document) wrote.
    /// </summary>
    public IReadOnlyList<int> EncodeOrdinary(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 2 + 4);
        EncodeOrdinaryInto(text, ids);
        return ids;
    }

    /// <summary>The number of ids <see cref="Encode"/> returns for <paramref name="text"/>.</summary>
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        var position = 0;
        while (_matcher.FindNext(text, position) is var (index, token))
        {
            count += CountOrdinary(text.Substring(position, index - position)) + 1;
            position = index + token.Content.Length;
        }
        return count + CountOrdinary(position == 0 ? text : text[position..]);
    }

    /// <summary>
    /// Decodes ids to text. Bytes that do not form valid UTF-8 become U+FFFD (as Hugging Face's
    /// <c>errors="replace"</c>); ids the tokenizer does not know (the padding rows past the vocabulary in a Qwen2
    /// embedding) are skipped. <paramref name="skipSpecialTokens"/> drops the added tokens marked special.
    /// </summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var buffer = new ArrayBufferWriter<byte>(256);
        foreach (var id in ids)
        {
            if (GetTokenBytes(id, skipSpecialTokens) is { } bytes)
                buffer.Write(bytes);
        }
        return Utf8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A decoder for streaming: feed ids one at a time, get only complete characters back.</summary>
    public IncrementalDecoder CreateIncrementalDecoder(bool skipSpecialTokens = false) => new(this, skipSpecialTokens);

    /// <summary>Finds the id of an added token (special or not) by its exact content.</summary>
    public bool TryGetSpecialTokenId(string token, out int id) => SpecialTokens.TryGetValue(token, out id);

    /// <summary>Whether <paramref name="id"/> is an added token marked special (dropped by <c>skipSpecialTokens</c>).</summary>
    public bool IsSpecialTokenId(int id) => _addedById.TryGetValue(id, out var token) && token.IsSpecial;

    internal AddedTokenMatcher AddedTokenMatcher => _matcher;

    /// <summary>The UTF-8 bytes an id stands for; null for unknown ids and, when asked, special tokens.</summary>
    internal byte[]? GetTokenBytes(int id, bool skipSpecialTokens)
    {
        if ((uint)id >= (uint)_tokenBytes.Length)
            return null;
        if (skipSpecialTokens && IsSpecialTokenId(id))
            return null;
        return _tokenBytes[id];
    }

    /// <summary>Appends the BPE ids of <paramref name="text"/>, with no added-token recognition.</summary>
    internal void EncodeOrdinaryInto(string text, List<int> ids)
    {
        if (text.Length == 0)
            return;
        ids.AddRange(_bpe.EncodeToIds(NormalizeNfc(text), considerPreTokenization: true, considerNormalization: false));
    }

    private int CountOrdinary(string text) =>
        text.Length == 0 ? 0 : _bpe.CountTokens(NormalizeNfc(text), considerPreTokenization: true, considerNormalization: false);

    // Qwen2's tokenizer.json normaliser is NFC; added tokens are matched on the raw text ("normalized": false).
    private static string NormalizeNfc(string text) =>
        text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);

    private int RequiredId(string content, string source) =>
        SpecialTokens.TryGetValue(content, out var id)
            ? id
            : throw new TokenizerLoadException($"{source}: the added tokens lack {content}, which the Qwen2 chat format needs.");

    private static Dictionary<int, AddedToken> ValidateAddedTokens(IReadOnlyList<AddedToken> tokens, string source)
    {
        var byId = new Dictionary<int, AddedToken>();
        var contents = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            if (string.IsNullOrEmpty(token.Content) || token.Id < 0)
                throw new TokenizerLoadException($"{source}: added token {token} needs non-empty content and a non-negative id.");
            if (!byId.TryAdd(token.Id, token))
                throw new TokenizerLoadException($"{source}: id {token.Id} is given to two added tokens, {byId[token.Id].Content} and {token.Content}.");
            if (!contents.Add(token.Content))
                throw new TokenizerLoadException($"{source}: added token {token.Content} appears twice.");
        }
        return byId;
    }
}
