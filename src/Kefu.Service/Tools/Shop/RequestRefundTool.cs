using System.Text.Json;

namespace Kefu.Service.Tools.Shop;

/// <summary><c>request_refund</c>: submits a refund request. Needs the customer's explicit confirmation first.</summary>
public sealed class RequestRefundTool(ShopApiClient client) : ITool
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "order_id": {
              "type": "string",
              "description": "需要退款的订单号"
            },
            "reason": {
              "type": "string",
              "description": "顾客说明的退款原因，例如“7天无理由，不想要了”或“质量问题：无法开机”",
              "minLength": 1,
              "maxLength": 200
            },
            "refund_type": {
              "type": "string",
              "description": "退款类型：需要寄回商品的为“退货退款”，不需要寄回商品的为“仅退款”",
              "enum": [
                "退货退款",
                "仅退款"
              ]
            }
          },
          "required": [
            "order_id",
            "reason",
            "refund_type"
          ],
          "additionalProperties": false
        }
        """).RootElement;

    public string Name => "request_refund";

    public string Description => "为订单提交退款申请。调用前必须向顾客复述订单号、退款类型和原因，并得到顾客明确确认；顾客没有确认时不要调用。已收到商品需要寄回的选择“退货退款”，未发货、拒收或未收到商品的选择“仅退款”。";

    public JsonElement ParametersSchema => Schema;

    public bool RequiresConfirmation => true;

    public Task<ToolResult> InvokeAsync(JsonElement arguments, CancellationToken cancellationToken)
    {
        var orderId = ShopToolArguments.Required(arguments, "order_id");
        var reason = ShopToolArguments.Required(arguments, "reason");
        var refundType = ShopToolArguments.Required(arguments, "refund_type");
        return client.RequestRefundAsync(orderId, reason, refundType, cancellationToken);
    }
}
