using Kefu.Safety.Pii;

namespace Kefu.Safety.Tests.Pii;

public sealed class PiiScannerTests
{
    private readonly PiiScanner _scanner = PiiScanner.Default;

    [Fact]
    public void Scan_MobileNumberInChineseText_IsFoundAndMaskedReadably()
    {
        var matches = _scanner.Scan("我的手机13812345678，麻烦回电");

        matches.ShouldHaveSingleItem().Kind.ShouldBe(PiiKind.MobilePhone);
        matches[0].Masked.ShouldBe("138****5678");
        _scanner.Mask("我的手机13812345678，麻烦回电").ShouldBe("我的手机138****5678，麻烦回电");
    }

    [Theory]
    [InlineData("单号ZTO731204568812已揽收")]      // a tracking number: 12 digits after the carrier prefix
    [InlineData("订单ORD12345，金额299元")]
    [InlineData("编号138123456789")]                // 12 digits: not a phone number
    [InlineData("座机12812345678")]                 // second digit 2: not a mobile prefix
    public void Scan_DigitRunsThatAreNotMobileNumbers_AreIgnored(string text) =>
        _scanner.Scan(text).ShouldBeEmpty();

    [Fact]
    public void Scan_IdCardWithValidCheckDigit_IsFoundAndMasked()
    {
        var match = _scanner.Scan("身份证11010519491231002X").ShouldHaveSingleItem();

        match.Kind.ShouldBe(PiiKind.IdCard);
        match.Masked.ShouldBe("110105********002X");
    }

    [Fact]
    public void Scan_IdCardWithWrongCheckDigit_IsNotAnIdCard() =>
        _scanner.Scan("身份证110105194912310021").ShouldNotContain(m => m.Kind == PiiKind.IdCard);

    [Theory]
    [InlineData("卡号6222021234567890128", "6222***********0128")]
    [InlineData("卡号6228 4800 1234 5671", "6228 **** **** 5671")]
    public void Scan_BankCardPassingLuhn_IsFoundAndKeepsItsGrouping(string text, string masked)
    {
        var match = _scanner.Scan(text).ShouldHaveSingleItem();

        match.Kind.ShouldBe(PiiKind.BankCard);
        match.Masked.ShouldBe(masked);
    }

    [Fact]
    public void Scan_SixteenDigitsFailingLuhn_IsNotABankCard() =>
        _scanner.Scan("流水号6228480012345672").ShouldBeEmpty();

    [Fact]
    public void Scan_Email_IsFoundAndMaskedKeepingTheDomain()
    {
        var match = _scanner.Scan("发票发到zhang.san@example.com谢谢").ShouldHaveSingleItem();

        match.Kind.ShouldBe(PiiKind.Email);
        match.Value.ShouldBe("zhang.san@example.com");
        match.Masked.ShouldBe("z***@example.com");
    }

    [Fact]
    public void Mask_SeveralKinds_MasksEachInPlace() =>
        _scanner.Mask("电话13900001111 邮箱li@qq.com").ShouldBe("电话139****1111 邮箱l***@qq.com");

    [Theory]
    [InlineData("6222021234567890128", true)]
    [InlineData("6222021234567890127", false)]
    public void PassesLuhn_KnownNumbers(string digits, bool expected) => PiiScanner.PassesLuhn(digits).ShouldBe(expected);
}
