using System.Text.Json;

namespace Kefu.Service.Tools.Shop;

/// <summary>What the shop tools share about their arguments: each names an order by <c>order_id</c>.</summary>
internal static class ShopToolArguments
{
    /// <summary>The schema of a tool whose only argument is the order number (query_order, track_logistics).</summary>
    public static JsonElement OrderIdOnlySchema { get; } = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "order_id": {
              "type": "string",
              "description": "订单号"
            }
          },
          "required": [
            "order_id"
          ],
          "additionalProperties": false
        }
        """).RootElement;

    /// <summary>A string argument the schema requires; the arguments were validated before the call, so it is there.</summary>
    public static string Required(JsonElement arguments, string name) => arguments.GetProperty(name).GetString()!;
}
