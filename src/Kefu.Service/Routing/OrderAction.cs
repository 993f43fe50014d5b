namespace Kefu.Service.Routing;

/// <summary>Which order operation an order query asks for.</summary>
public enum OrderAction
{
    None,
    Status,
    Tracking,
    Refund,
    ChangeAddress,
}
