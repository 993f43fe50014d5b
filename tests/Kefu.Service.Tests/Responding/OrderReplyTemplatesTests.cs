using Kefu.Service.Responding;
using Kefu.Service.Tools.Shop;

namespace Kefu.Service.Tests.Responding;

public sealed class OrderReplyTemplatesTests
{
    private static readonly OrderInfo PaidNotShipped = new(
        "ORD12348", "待发货", [new OrderItem("QH-RC301", "青禾微压电饭煲 3L", 1, 299m)], 299m,
        new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8)), "浙江省杭州市西湖区文三路1号", "微信支付", null, null, null);

    [Fact]
    public void Order_WithoutShopNotes_StatesOnlyTheOrdersOwnFacts()
    {
        var reply = OrderReplyTemplates.Order(PaidNotShipped, new Dictionary<string, string>());

        reply.ShouldContain("ORD12348");
        reply.ShouldContain("正在等待仓库发货");
        reply.ShouldNotContain("16:00");
    }

    [Fact]
    public void Order_WithTheShopsNoteForItsStatus_AddsThatPolicySentence()
    {
        var notes = new Dictionary<string, string> { ["待发货"] = "16:00前付款当天发货。", ["已签收"] = "7天无理由退货。" };

        var reply = OrderReplyTemplates.Order(PaidNotShipped, notes);

        reply.ShouldEndWith("16:00前付款当天发货。");
        reply.ShouldNotContain("7天无理由");
    }
}
