using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kefu.Model.Configuration;

/// <summary>
/// Reads a token-id field that Hugging Face writes either as one number (<c>"eos_token_id": 151645</c>) or as a
/// list (<c>"eos_token_id": [151645, 151643]</c>); writes a single id back as a number, several as a list.
/// </summary>
internal sealed class IntListConverter : JsonConverter<IReadOnlyList<int>>
{
    public override IReadOnlyList<int>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                return [ReadId(ref reader)];
            case JsonTokenType.StartArray:
                var ids = new List<int>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.Number)
                        throw new JsonException("expected a list of token ids (numbers)");
                    ids.Add(ReadId(ref reader));
                }
                return ids;
            default:
                throw new JsonException("expected a token id or a list of token ids");
        }
    }

    private static int ReadId(ref Utf8JsonReader reader) =>
        reader.TryGetInt32(out var id) ? id : throw new JsonException("a token id must be a whole number that fits in 32 bits");

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<int> value, JsonSerializerOptions options)
    {
        if (value.Count == 1)
        {
            writer.WriteNumberValue(value[0]);
            return;
        }
        writer.WriteStartArray();
        foreach (var id in value)
            writer.WriteNumberValue(id);
        writer.WriteEndArray();
    }
}
