using Kefu.Learning.Harvesting;
using Kefu.Safety.Pii;
using Kefu.Service.Dialogue;

namespace Kefu.Learning.Tests;

public sealed class HarvesterTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);

    // Test numbers with valid checksums: a mobile, an ID card (GB 11643 check digit), a bank card (Luhn), an e-mail.
    internal static CorrectedAnswer[] CorrectionsWithPii() =>
    [
        new("s_aaaaaaaa", "我手机13800001234，订单ORD12345怎么还没到？", "正在转接人工", "您好，ORD12345在成都转运中心，预计明天送达，到了会打13800001234通知您。", "alice", At),
        new("s_bbbbbbbb", "身份证号11010519491231002X能开专票吗", null, "增值税专用发票需要公司名称、税号、开户行和地址，5个工作日内开出，发到a.li@example.com。", "bob", At.AddMinutes(5)),
        new("s_cccccccc", "退款退到卡6222021234567890128可以吗", null, "退款原路退回，银行卡3–5个工作日到账。", "alice", At.AddMinutes(9)),
    ];

    [Fact]
    public void Harvest_CorrectionsWithPhoneIdCardBankCardAndEmail_KeepsNoPersonalData()
    {
        var result = new Harvester().Harvest(CorrectionsWithPii(), []);
        result.Records.Count.ShouldBe(3);
        foreach (var record in result.Records)
        {
            PiiScanner.Default.Scan(record.Question).ShouldBeEmpty(record.Question);
            PiiScanner.Default.Scan(record.Answer).ShouldBeEmpty(record.Answer);
        }
        var all = string.Join("\n", result.Records.Select(r => r.Question + r.Answer));
        all.ShouldNotContain("13800001234");
        all.ShouldNotContain("11010519491231002X");
        all.ShouldNotContain("6222021234567890128");
        all.ShouldNotContain("a.li@example.com");
        all.ShouldContain("ORD12345");   // an order number is not personal data and is what the answer is about
    }

    [Fact]
    public void Harvest_AnswerAlreadyInTheTrainingSet_IsDroppedButANewAnswerToAnOldQuestionIsKept()
    {
        var existing = new[] { ExistingTrainingTexts.Pair("退款退到卡可以吗", "退款原路退回，银行卡3–5个工作日到账。") };
        var corrections = new CorrectedAnswer[]
        {
            new("s_1", "退款退到卡可以吗", null, "退款原路退回，银行卡3–5个工作日到账。", "a", At),
            new("s_2", "退款退到卡可以吗", null, "可以，金卡会员还能申请加急，1个工作日到账。", "a", At.AddMinutes(1)),
        };
        var result = new Harvester().Harvest(corrections, existing);
        result.DuplicatesOfExisting.ShouldBe(1);
        result.Records.Select(r => r.SessionId).ShouldBe(["s_2"]);
    }

    [Fact]
    public void Harvest_SameAnswerTwiceInOneBatch_KeepsTheFirst()
    {
        var corrections = new CorrectedAnswer[]
        {
            new("s_1", "发票怎么开", null, "确认收货后在订单页申请电子普通发票，1–3个工作日发到邮箱。", "a", At),
            new("s_2", "发票怎么开？", null, "确认收货后在订单页申请电子普通发票，1–3个工作日发到邮箱。", "b", At.AddMinutes(1)),
        };
        var result = new Harvester().Harvest(corrections, []);
        result.DuplicatesInBatch.ShouldBe(1);
        result.Records.Single().SessionId.ShouldBe("s_1");
        result.Through.ShouldBe(At.AddMinutes(1));
    }

    [Fact]
    public void Harvest_WithTranscript_KeepsTheQuestionBeforeTheHandoffRequestAsMaskedContext()
    {
        var answer = "您好，ORD12355在西安转运中心滞留，我已催促快递，今天内更新，有进展打13800001234通知您。";
        var transcript = new List<SessionMessage>
        {
            new("user", "ORD12355三天没动了，我电话13800001234", At.AddMinutes(-10)),
            new("assistant", "亲，包裹在西安转运中心，物流信息4天未更新。", At.AddMinutes(-10)),
            new("user", "转人工", At.AddMinutes(-5)),
            new("assistant", "正在为您转接人工客服。", At.AddMinutes(-5)),
            new("agent", answer, At),
            new("user", "谢谢", At.AddMinutes(1)),
        };
        var correction = new CorrectedAnswer("s_x", "转人工", "正在为您转接人工客服。", answer, "alice", At);
        var record = new Harvester().Harvest([correction], [], new Dictionary<string, IReadOnlyList<SessionMessage>> { ["s_x"] = transcript }).Records.Single();
        record.Context.Select(m => m.Role).ShouldBe(["user", "assistant", "user"]);
        record.Context[0].Content.ShouldBe("ORD12355三天没动了，我电话138****1234");
        record.Context[^1].Content.ShouldBe("转人工");
        record.Answer.ShouldNotContain("13800001234");
    }
}
