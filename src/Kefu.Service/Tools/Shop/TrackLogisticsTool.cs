using System.Text.Json;

namespace Kefu.Service.Tools.Shop;

/// <summary><c>track_logistics</c>: carrier, tracking number and the latest scans of an order's parcel.</summary>
public sealed class TrackLogisticsTool(ShopApiClient client) : ITool
{
    public string Name => "track_logistics";

    public string Description => "查询订单的物流信息，返回承运快递公司、快递单号（中通ZTO、圆通YTO、顺丰SF开头）和最新的物流轨迹。顾客询问包裹到哪了、什么时候送达时使用；未发货的订单没有物流信息。";

    public JsonElement ParametersSchema => ShopToolArguments.OrderIdOnlySchema;

    public bool RequiresConfirmation => false;

    public Task<ToolResult> InvokeAsync(JsonElement arguments, CancellationToken cancellationToken) =>
        client.GetTrackingAsync(ShopToolArguments.Required(arguments, "order_id"), cancellationToken);
}
