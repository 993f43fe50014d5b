using Kefu.Safety.Replies;

namespace Kefu.Safety.Tests.Replies;

public sealed class ReplyAnomalyDetectorTests(ITestOutputHelper output)
{
    private const string Shipped = """{"order_id": "ORD12345", "status": "已发货", "items": [{"name": "青禾微压电饭煲 3L"}]}""";

    private readonly ReplyAnomalyDetector _detector = new();

    [Fact]
    public void EveryDemoReply_WithItsTurnsToolResults_IsSound()
    {
        var replies = DemoShopData.Replies;

        var anomalous = replies
            .Select(r => (Reply: r, Verdict: _detector.Check(r.Text, new ReplyContext(r.CustomerMessage, r.ToolResults))))
            .Where(r => r.Verdict.IsAnomalous)
            .ToList();

        output.WriteLine($"{replies.Count} replies ({replies.Count(r => r.ToolResults.Count > 0)} after tool results): {anomalous.Count} anomalous");
        anomalous.ShouldBeEmpty(string.Join("\n", anomalous.Select(a => $"{a.Reply.Source}: {a.Reply.Text} → {string.Join("; ", a.Verdict.Anomalies)}")));
    }

    [Fact]
    public void EveryEdgeCaseAnswer_IsSound()
    {
        DemoShopData.Exceptions.ShouldAllBe(e => !_detector.Check(e.Output, new ReplyContext(e.Instruction, null)).IsAnomalous);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  。")]
    public void EmptyReply_IsTooShort(string reply)
    {
        _detector.Check(reply).Has(ReplyAnomalyKind.TooShort).ShouldBeTrue();
    }

    [Fact]
    public void RunawayReply_IsTooLong()
    {
        var reply = string.Concat(Enumerable.Range(0, 80).Select(i => $"第{i}条说明内容。"));

        _detector.Check(reply).Has(ReplyAnomalyKind.TooLong).ShouldBeTrue();
    }

    [Fact]
    public void LoopingReply_IsRepetition()
    {
        const string loop = "亲，您的订单已经发货了，请耐心等待。";
        var verdict = _detector.Check("您好！" + loop + loop + loop);

        verdict.Has(ReplyAnomalyKind.Repetition).ShouldBeTrue();
        verdict.CountsAsUnresolved.ShouldBeTrue();
        verdict.FallbackReply.ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("好的好的好的好的，马上为您处理")]
    [InlineData("亲亲亲亲亲亲亲亲亲亲")]
    public void ShortLoop_IsRepetition(string reply)
    {
        _detector.Check(reply).Has(ReplyAnomalyKind.Repetition).ShouldBeTrue();
    }

    [Theory]
    [InlineData("运单号ZTO000000000000，请查收……………")]
    [InlineData("哈哈，好的，您的订单已发货")]
    public void RepeatsWithoutLetters_AreNotLoops(string reply)
    {
        _detector.Check(reply).Has(ReplyAnomalyKind.Repetition).ShouldBeFalse();
    }

    [Theory]
    [InlineData("您的订单\uFFFD\uFFFD已发货")]
    [InlineData("您的订单\u0001已发货")]
    [InlineData("您的订单\uD800已发货")]
    public void BrokenBytes_AreBrokenEncoding(string reply)
    {
        _detector.Check(reply).Has(ReplyAnomalyKind.BrokenEncoding).ShouldBeTrue();
    }

    [Fact]
    public void Utf8ReadAsLatin1_IsGarbage()
    {
        var mojibake = System.Text.Encoding.Latin1.GetString(System.Text.Encoding.UTF8.GetBytes("亲，您的订单已经发货了"));

        _detector.Check(mojibake).Has(ReplyAnomalyKind.Garbage).ShouldBeTrue();
    }

    [Theory]
    [InlineData("好的<|im_end|>")]
    [InlineData("<tool_call>\n{\"name\": \"query_order\"}\n</tool_call>")]
    [InlineData("亲<|endoftext|>")]
    [InlineData("您好<|fim_prefix|>")]
    public void TemplateResidue_IsTemplateLeak(string reply)
    {
        _detector.Check(reply).Has(ReplyAnomalyKind.TemplateLeak).ShouldBeTrue();
    }

    [Fact]
    public void ChineseQuestionAnsweredInEnglish_IsWrongLanguage()
    {
        var verdict = _detector.Check("Your order has been shipped and will arrive tomorrow.", new ReplyContext("我的订单到哪了？"));

        verdict.Has(ReplyAnomalyKind.WrongLanguage).ShouldBeTrue();
    }

    [Fact]
    public void EnglishQuestionAnsweredInEnglish_IsFine()
    {
        _detector.Check("Your order has been shipped and will arrive tomorrow.", new ReplyContext("Where is my order?")).IsAnomalous.ShouldBeFalse();
    }

    [Theory]
    [InlineData("亲，订单ORD12345已由中通快递发出，运单号ZTO731204568812，预计明天送达。")]
    [InlineData("青禾 AirFryer Pro 空气炸锅支持7天无理由退货，SF顺丰加12元。")]
    public void ChineseReplyWithCodesAndAProductName_IsNotWrongLanguage(string reply)
    {
        _detector.Check(reply, new ReplyContext("我的订单到哪了？")).IsAnomalous.ShouldBeFalse();
    }

    [Fact]
    public void JapaneseReply_IsWrongLanguage()
    {
        _detector.Check("ご注文はすでに発送されました。明日お届けする予定です。", new ReplyContext("我的订单发货了吗")).Has(ReplyAnomalyKind.WrongLanguage).ShouldBeTrue();
    }

    [Theory]
    [InlineData("亲，您的订单还没发货，请耐心等待。")]
    [InlineData("亲，订单目前是待发货状态哦。")]
    [InlineData("您的包裹已签收，请查收。")]
    public void ClaimThatContradictsTheToolStatus_IsContradiction(string reply)
    {
        var verdict = _detector.Check(reply, new ReplyContext("我的订单ORD12345发货了吗", [Shipped]));

        verdict.Has(ReplyAnomalyKind.ContradictsToolResult).ShouldBeTrue();
        verdict.CountsAsUnresolved.ShouldBeTrue();
    }

    [Theory]
    [InlineData("亲，您的订单已发货，正在运输中，预计明天送达。")]
    [InlineData("您的订单已经发出，未发货的订单才可以直接取消，已发货只能拒收后退款。")]
    [InlineData("如果还没发货可以直接改地址，您的订单已发货，只能联系快递。")]
    public void ClaimThatAgreesOrIsConditional_IsFine(string reply)
    {
        _detector.Check(reply, new ReplyContext("我的订单发货了吗", [Shipped])).IsAnomalous.ShouldBeFalse();
    }

    [Fact]
    public void ToolResultAsText_StatusIsStillRead()
    {
        var verdict = _detector.Check("您的订单已退款成功。", new ReplyContext("退款到哪了", ["订单ORD12360 当前状态：退款中"]));

        verdict.Has(ReplyAnomalyKind.ContradictsToolResult).ShouldBeTrue();
    }

    [Fact]
    public void RepeatedGramRate_CountsRepeatsOfEarlierGrams()
    {
        ReplyAnomalyDetector.RepeatedGramRate("abcdabcd", 4, out var grams).ShouldBe(1 - 4.0 / 5, 1e-9);
        grams.ShouldBe(5);
    }
}
