using System.Globalization;
using System.Text.Json;

namespace Kefu.Text.Tokenization;

/// <summary>
/// Finds a model folder's added tokens, in the order Hugging Face trusts them: tokenizer.json <c>added_tokens</c>,
/// then tokenizer_config.json <c>added_tokens_decoder</c>, then added_tokens.json. Returns null when the folder
/// declares none.
/// </summary>
internal static class AddedTokenFiles
{
    public static (IReadOnlyList<AddedToken> Tokens, string Path)? Read(string directory)
    {
        var tokenizerJson = Path.Combine(directory, "tokenizer.json");
        if (File.Exists(tokenizerJson) && ReadJson(tokenizerJson, FromTokenizerJson) is { Count: > 0 } fromTokenizer)
            return (fromTokenizer, tokenizerJson);
        var config = Path.Combine(directory, "tokenizer_config.json");
        if (File.Exists(config) && ReadJson(config, FromTokenizerConfig) is { Count: > 0 } fromConfig)
            return (fromConfig, config);
        var addedTokens = Path.Combine(directory, "added_tokens.json");
        if (File.Exists(addedTokens) && ReadJson(addedTokens, FromAddedTokensJson) is { Count: > 0 } fromAdded)
            return (fromAdded, addedTokens);
        return null;
    }

    private static List<AddedToken> ReadJson(string path, Func<string, JsonElement, List<AddedToken>> read)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return read(path, document.RootElement);
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } zeroBased ? zeroBased + 1 : (long?)null;
            throw new TokenizerLoadException(path, line, $"not valid JSON: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new TokenizerLoadException(path, null, $"cannot read the file: {e.Message}", e);
        }
    }

    // tokenizer.json: "added_tokens": [{"id": 151643, "content": "<|endoftext|>", "special": true, ...}, ...]
    private static List<AddedToken> FromTokenizerJson(string path, JsonElement root)
    {
        var tokens = new List<AddedToken>();
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("added_tokens", out var array))
            return tokens;
        if (array.ValueKind != JsonValueKind.Array)
            throw new TokenizerLoadException(path, null, "field added_tokens: expected an array.");
        var index = 0;
        foreach (var entry in array.EnumerateArray())
        {
            var field = $"added_tokens[{index++}]";
            if (entry.ValueKind != JsonValueKind.Object
                || !entry.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.Number || !id.TryGetInt32(out var idValue) || idValue < 0)
                throw new TokenizerLoadException(path, null, $"field {field}.id: expected a non-negative integer.");
            tokens.Add(new AddedToken(Content(path, field, entry), idValue, IsSpecial(entry)));
        }
        return tokens;
    }

    // tokenizer_config.json: "added_tokens_decoder": {"151643": {"content": "<|endoftext|>", "special": true, ...}}
    private static List<AddedToken> FromTokenizerConfig(string path, JsonElement root)
    {
        var tokens = new List<AddedToken>();
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("added_tokens_decoder", out var decoder))
            return tokens;
        if (decoder.ValueKind != JsonValueKind.Object)
            throw new TokenizerLoadException(path, null, "field added_tokens_decoder: expected an object keyed by token id.");
        foreach (var property in decoder.EnumerateObject())
        {
            var field = $"added_tokens_decoder[\"{property.Name}\"]";
            if (!int.TryParse(property.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                throw new TokenizerLoadException(path, null, $"field {field}: the key must be a non-negative integer token id.");
            if (property.Value.ValueKind != JsonValueKind.Object)
                throw new TokenizerLoadException(path, null, $"field {field}: expected an object with \"content\".");
            tokens.Add(new AddedToken(Content(path, field, property.Value), id, IsSpecial(property.Value)));
        }
        return tokens;
    }

    // added_tokens.json: {"<|endoftext|>": 151643, ...}. It carries no "special" flag; like Qwen's tokenizer_config,
    // treat the <|...|> control tokens as special and the rest (<tool_call>, </tool_call>) as ordinary added tokens.
    private static List<AddedToken> FromAddedTokensJson(string path, JsonElement root)
    {
        var tokens = new List<AddedToken>();
        if (root.ValueKind != JsonValueKind.Object)
            throw new TokenizerLoadException(path, null, "expected an object mapping each added token to its id.");
        foreach (var property in root.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var id) || id < 0)
                throw new TokenizerLoadException(path, null, $"field {VocabularyFile.Quote(property.Name)}: the id must be a non-negative integer.");
            if (property.Name.Length == 0)
                throw new TokenizerLoadException(path, null, "an added token is the empty string.");
            var special = property.Name.StartsWith("<|", StringComparison.Ordinal) && property.Name.EndsWith("|>", StringComparison.Ordinal);
            tokens.Add(new AddedToken(property.Name, id, special));
        }
        return tokens;
    }

    private static string Content(string path, string field, JsonElement entry)
    {
        if (!entry.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String || content.GetString() is not { Length: > 0 } text)
            throw new TokenizerLoadException(path, null, $"field {field}.content: expected a non-empty string.");
        return text;
    }

    // Hugging Face's AddedToken defaults "special" to false.
    private static bool IsSpecial(JsonElement entry) =>
        entry.TryGetProperty("special", out var special) && special.ValueKind == JsonValueKind.True;
}
