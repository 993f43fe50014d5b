using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kefu.Server.Hosting;

/// <summary>
/// A shop's own rules as the assistant states them (samples/ecommerce/shop.json for the demo): how customers find
/// their order number and what it looks like, and the policy sentences added to order replies by status. Data, so another enterprise's
/// rules never come out of Kefu's code.
/// </summary>
public sealed record ShopPolicies
{
    [JsonPropertyName("order_id_pattern")]
    public string? OrderIdPattern { get; init; }

    [JsonPropertyName("order_id_hint")]
    public string? OrderIdHint { get; init; }

    [JsonPropertyName("order_status_notes")]
    public Dictionary<string, string> OrderStatusNotes { get; init; } = [];

    /// <summary>Reads the file; null when it does not exist; a clear error naming the file when it is malformed.</summary>
    public static ShopPolicies? Load(string path)
    {
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<ShopPolicies>(File.ReadAllText(path))
                ?? throw new InvalidDataException($"{path}: the file holds null, not a shop policy object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{(e.LineNumber ?? 0) + 1}: {e.Path}: {e.Message}", e);
        }
    }
}
