using Kefu.Service.Dialogue;

namespace Kefu.Service.Tests.Dialogue;

public sealed class SlotExtractorTests
{
    // The demo shop's catalog and order-number format (samples/ecommerce/shop.json).
    private readonly SlotExtractor _extractor = new(["青禾可视空气炸锅 5L", "青禾声波电动牙刷 T1", "电动牙刷替换刷头 4支装"], orderIdPattern: @"ORD\d{5}");

    [Fact]
    public void Extract_OrderNumberInsideChineseText_IsFoundAndUpperCased()
    {
        _extractor.Extract("我的订单ord12345到哪了").ShouldBe(new Dictionary<string, string> { [SlotNames.OrderId] = "ORD12345" });
    }

    [Fact]
    public void Extract_LongerDigitRun_IsNotAnOrderNumber()
    {
        _extractor.Extract("ORD123456").ShouldNotContainKey(SlotNames.OrderId);
    }

    [Fact]
    public void Extract_PhoneAndTrackingNumber_AreFound()
    {
        var slots = _extractor.Extract("电话13800001234，运单ZTO731204568812");

        slots[SlotNames.Phone].ShouldBe("13800001234");
        slots[SlotNames.TrackingNumber].ShouldBe("ZTO731204568812");
    }

    [Theory]
    [InlineData("空气炸锅冒烟了", "青禾可视空气炸锅 5L")]
    [InlineData("我买的电动牙刷开不了机", "青禾声波电动牙刷 T1")]
    [InlineData("替换刷头几个月换一次", "电动牙刷替换刷头 4支装")]
    public void Extract_ShortenedProductName_MapsToTheCatalogName(string message, string product)
    {
        _extractor.Extract(message)[SlotNames.Product].ShouldBe(product);
    }

    [Fact]
    public void Extract_NothingStated_IsEmpty()
    {
        _extractor.Extract("你好").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("我的订单ORD12345到哪了", "ORD12345")]
    [InlineData("单号 so20241123001", "SO20241123001")]
    [InlineData("运单号ZTO731204568812还没动", null)]
    [InlineData("手机13800001234", null)]
    public void FindOrderId_WithTheDefaultFormat_TakesLetterDigitTokensButNotTrackingOrPhoneNumbers(string text, string? expected) =>
        new SlotExtractor([]).FindOrderId(text).ShouldBe(expected);

    [Fact]
    public void FindOrderId_WithTheShopsOwnFormat_FindsDigitOnlyOrderNumbersAndIgnoresOthers()
    {
        var extractor = new SlotExtractor([], orderIdPattern: @"\d{16}");

        extractor.FindOrderId("订单号2026112312345678，帮我查一下").ShouldBe("2026112312345678");
        extractor.FindOrderId("我的订单ORD12345").ShouldBeNull();
        extractor.Extract("订单号2026112312345678")[SlotNames.OrderId].ShouldBe("2026112312345678");
    }
}
