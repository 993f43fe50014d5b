using System.Text.Json;
using Kefu.Export.Gguf;
using Kefu.Model.Configuration;
using Kefu.Text;

namespace Kefu.Export.Qwen2;

/// <summary>
/// The tokenizer part of a Qwen2 GGUF, as llama.cpp's convert_hf_to_gguf.py writes it for a GPT-2-style BPE
/// tokenizer (_set_vocab_gpt2 + SpecialVocab): tokenizer.ggml.model "gpt2", pre "qwen2", one token string per id up
/// to the model's vocab_size (ids without a token become "[PAD{id}]" of type UNUSED), token types (added special
/// tokens and ones that look special → CONTROL, other added tokens → USER_DEFINED, the rest NORMAL), the merges,
/// the special ids and the chat template.
/// </summary>
public static class GgufTokenizerMetadata
{
    /// <summary>llama.cpp's token types (llama_token_type).</summary>
    public const int Normal = 1, Control = 3, UserDefined = 4, Unused = 5;

    /// <summary>The Qwen2-Instruct chat template (ChatML with a default system prompt), used when the folder has none.</summary>
    public const string DefaultChatTemplate =
        "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}"
        + "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    public static IReadOnlyList<KeyValuePair<string, GgufValue>> Build(string modelDirectory, Qwen2Config config, string? chatTemplate = null)
    {
        var vocabPath = Path.Combine(modelDirectory, "vocab.json");
        var mergesPath = Path.Combine(modelDirectory, "merges.txt");
        if (!File.Exists(vocabPath) || !File.Exists(mergesPath))
            throw new GgufFormatException($"{modelDirectory}: vocab.json and merges.txt are needed for the GGUF tokenizer (copy them in with `kefu model new --tokenizer`).");
        // Loading through Kefu's tokenizer validates both files and resolves the added tokens as the model uses them.
        var tokenizer = Qwen2Tokenizer.FromDirectory(modelDirectory);
        var vocabulary = ReadVocabulary(vocabPath);
        var tokens = new string?[config.VocabSize];
        var types = new int[config.VocabSize];
        foreach (var (text, id) in vocabulary)
        {
            if (id < tokens.Length)
            {
                tokens[id] = text;
                types[id] = Normal;
            }
        }
        foreach (var added in tokenizer.AddedTokens)
        {
            if (added.Id >= tokens.Length)
                throw new GgufFormatException($"{modelDirectory}: added token {added.Content} has id {added.Id}, outside the model's vocab_size {config.VocabSize}.");
            tokens[added.Id] = added.Content;
            types[added.Id] = added.IsSpecial || LooksSpecial(added.Content) ? Control : UserDefined;
        }
        for (var id = 0; id < tokens.Length; id++)
        {
            if (tokens[id] is null)
            {
                tokens[id] = $"[PAD{id}]";
                types[id] = Unused;
            }
        }
        var merges = File.ReadLines(mergesPath).Where(l => l.Length > 0 && !l.StartsWith("#version", StringComparison.Ordinal)).ToList();

        var tokenizerConfig = ReadTokenizerConfig(modelDirectory);
        int? IdOf(string field)
        {
            if (tokenizerConfig is { } root && root.TryGetProperty(field, out var value))
            {
                var content = value.ValueKind == JsonValueKind.String ? value.GetString()
                    : value.ValueKind == JsonValueKind.Object && value.TryGetProperty("content", out var c) ? c.GetString() : null;
                if (content is not null && tokenizer.TryGetSpecialTokenId(content, out var id))
                    return id;
            }
            return null;
        }
        var eos = IdOf("eos_token") ?? (config.EosTokenId is { Count: > 0 } eosIds ? eosIds[0] : (int?)null) ?? tokenizer.ImEndId;
        var bos = IdOf("bos_token") ?? (config.BosTokenId is { Count: > 0 } bosIds ? bosIds[0] : (int?)null) ?? tokenizer.EndOfTextId;
        var pad = IdOf("pad_token") ?? tokenizer.EndOfTextId;
        var template = chatTemplate
            ?? (tokenizerConfig is { } config2 && config2.TryGetProperty("chat_template", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)
            ?? DefaultChatTemplate;

        return
        [
            new("tokenizer.ggml.model", GgufValue.Of("gpt2")),
            new("tokenizer.ggml.pre", GgufValue.Of("qwen2")),
            new("tokenizer.ggml.tokens", GgufValue.Strings(tokens!)),
            new("tokenizer.ggml.token_type", GgufValue.Int32s(types)),
            new("tokenizer.ggml.merges", GgufValue.Strings(merges)),
            new("tokenizer.ggml.eos_token_id", GgufValue.Of((uint)eos)),
            new("tokenizer.ggml.padding_token_id", GgufValue.Of((uint)pad)),
            new("tokenizer.ggml.bos_token_id", GgufValue.Of((uint)bos)),
            new("tokenizer.ggml.add_bos_token", GgufValue.Of(false)),
            new("tokenizer.chat_template", GgufValue.Of(template)),
        ];
    }

    /// <summary>convert_hf_to_gguf's does_token_look_special: &lt;|…|&gt;, &lt;｜…｜&gt;, &lt;unused…&gt; and a few fixed names.</summary>
    public static bool LooksSpecial(string token) =>
        token is "<pad>" or "<mask>" or "<2mass>" or "[@BOS@]"
        || (token.StartsWith("<|", StringComparison.Ordinal) && token.EndsWith("|>", StringComparison.Ordinal))
        || (token.StartsWith("<｜", StringComparison.Ordinal) && token.EndsWith("｜>", StringComparison.Ordinal))
        || (token.StartsWith("<unused", StringComparison.Ordinal) && token.EndsWith('>'));

    private static Dictionary<string, int> ReadVocabulary(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<Dictionary<string, int>>(stream) ?? throw new GgufFormatException($"{path}: holds JSON null.");
        }
        catch (JsonException e)
        {
            throw new GgufFormatException($"{path}: not a token → id JSON object ({e.Message}).", e);
        }
    }

    private static JsonElement? ReadTokenizerConfig(string directory)
    {
        var path = Path.Combine(directory, "tokenizer_config.json");
        if (!File.Exists(path))
            return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new GgufFormatException($"{path}: not valid JSON ({e.Message}).", e);
        }
    }
}
