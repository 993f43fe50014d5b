using System.Text.Json;

namespace Kefu.Service.Tools.Shop;

/// <summary><c>change_address</c>: changes the delivery address of an order not yet shipped; the API refuses after shipment.</summary>
public sealed class ChangeAddressTool(ShopApiClient client) : ITool
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "order_id": {
              "type": "string",
              "description": "需要修改地址的订单号"
            },
            "new_address": {
              "type": "string",
              "description": "完整的新收货地址，包含省、市、区和详细门牌号，例如“浙江省杭州市西湖区文三路259号5幢702”",
              "minLength": 5,
              "maxLength": 200
            }
          },
          "required": [
            "order_id",
            "new_address"
          ],
          "additionalProperties": false
        }
        """).RootElement;

    public string Name => "change_address";

    public string Description => "修改订单的收货地址，仅限待付款或待发货（尚未发货）的订单；已发货的订单无法修改，需要顾客联系承运快递改派。改到新疆、西藏、青海需补交偏远地区运费。";

    public JsonElement ParametersSchema => Schema;

    public bool RequiresConfirmation => false;

    public Task<ToolResult> InvokeAsync(JsonElement arguments, CancellationToken cancellationToken)
    {
        var orderId = ShopToolArguments.Required(arguments, "order_id");
        var newAddress = ShopToolArguments.Required(arguments, "new_address");
        return client.ChangeAddressAsync(orderId, newAddress, cancellationToken);
    }
}
