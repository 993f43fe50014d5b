using Kefu.Service.Knowledge;
using Kefu.Testing;

namespace Kefu.Service.Tests.Support;

/// <summary>A small shop knowledge base of the tests' own, written to files and imported into real SQLite.</summary>
internal static class TestKnowledge
{
    public const string Faq = """
        id,question,answer,category
        f1,退货运费谁出？,质量问题的退货运费由店铺承担；7天无理由退货的运费由顾客承担，有运费险可补偿最高12元。,knowledge
        f2,怎么开发票？,确认收货后在订单页点击申请开票，电子发票1–3个工作日发到邮箱。,knowledge
        f3,多少钱包邮？,订单满59元包邮，不满59元收6元运费；新疆、西藏、青海加收15元。,knowledge
        f4,积分会过期吗？,积分在获得次年的12月31日过期。,knowledge
        f5,可以用花呗分期吗？,支持花呗分期，满300元可享3期免息。,knowledge
        """;

    public const string Policy = """
        # 保修与维修

        ## 保修期限

        小家电保修1年，电机等主要部件保修2年。人为损坏、进水不在保修范围内。

        ## 维修时效

        维修中心收到商品后7–10天修好寄回。
        """;

    public static async Task<SqliteKnowledgeBase> CreateAsync(TempDirectory temp)
    {
        await File.WriteAllTextAsync(temp.File("faq.csv"), Faq, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(temp.File("warranty.md"), Policy, TestContext.Current.CancellationToken);
        var kb = SqliteKnowledgeBase.Open(temp.File("kb.db"));
        await new KnowledgeImporter(kb).ImportAsync([temp.File("faq.csv"), temp.File("warranty.md")], TestContext.Current.CancellationToken);
        return kb;
    }
}
