using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kefu.Model.Lora;

/// <summary>PEFT writes target_modules as a list, or as one string ("all-linear", or a regex in older files).</summary>
internal sealed class TargetModulesConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
            return [reader.GetString()!];
        return JsonSerializer.Deserialize<List<string>>(ref reader, options) ?? [];
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        if (value.Count == 1 && value[0] == LoraConfig.AllLinear)
        {
            writer.WriteStringValue(value[0]);
            return;
        }
        writer.WriteStartArray();
        foreach (var name in value)
            writer.WriteStringValue(name);
        writer.WriteEndArray();
    }
}
