namespace Kefu.Service.Dialogue;

/// <summary>The facts remembered across turns.</summary>
public static class SlotNames
{
    public const string OrderId = "order_id";
    public const string Phone = "phone";
    public const string Product = "product";
    public const string TrackingNumber = "tracking_no";
}
