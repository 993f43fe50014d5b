using System.Text.Json;

namespace Kefu.Text.Tokenization;

/// <summary>Reads a byte-level BPE vocab.json (<c>{"token": id, ...}</c>), checking it as it goes.</summary>
internal static class VocabularyFile
{
    public static Dictionary<string, int> Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new TokenizerLoadException(path, null, "vocab.json is missing (a Qwen2 model folder carries vocab.json and merges.txt).", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TokenizerLoadException(path, null, $"cannot read the file: {e.Message}", e);
        }

        var json = bytes.AsSpan();
        if (json.StartsWith("\uFEFF"u8))
            json = json[3..];
        try
        {
            return Parse(path, json);
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } zeroBased ? zeroBased + 1 : (long?)null;
            throw new TokenizerLoadException(path, line, $"not valid JSON: {e.Message}", e);
        }
    }

    private static Dictionary<string, int> Parse(string path, ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new TokenizerLoadException(path, LineAt(json, reader.TokenStartIndex), "expected a JSON object mapping each token to its id.");

        var vocabulary = new Dictionary<string, int>(160_000, StringComparer.Ordinal);
        var tokenById = new Dictionary<int, string>(160_000);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var token = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var id) || id < 0)
                throw new TokenizerLoadException(path, LineAt(json, reader.TokenStartIndex), $"token {Quote(token)}: the id must be a non-negative integer.");
            if (!vocabulary.TryAdd(token, id))
                throw new TokenizerLoadException(path, LineAt(json, reader.TokenStartIndex), $"token {Quote(token)} appears twice.");
            if (!tokenById.TryAdd(id, token))
                throw new TokenizerLoadException(path, LineAt(json, reader.TokenStartIndex), $"id {id} is given to both {Quote(tokenById[id])} and {Quote(token)}.");
        }
        if (reader.TokenType != JsonTokenType.EndObject)
            throw new TokenizerLoadException(path, LineAt(json, reader.TokenStartIndex), "expected a token string as the next property.");
        if (vocabulary.Count == 0)
            throw new TokenizerLoadException(path, null, "the vocabulary is empty.");
        return vocabulary;
    }

    internal static string Quote(string token) => Quoting.Quote(token);

    private static long LineAt(ReadOnlySpan<byte> json, long byteIndex) =>
        json[..(int)Math.Min(byteIndex, json.Length)].Count((byte)'\n') + 1;
}
