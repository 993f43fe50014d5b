using Kefu.Testing;

namespace Kefu.Cli.Tests.Data;

/// <summary>A tiny dataset folder with a manifest: 6 knowledge, 3 dialogue and 1 exception record.</summary>
internal sealed class SmallDataset : IDisposable
{
    private readonly TempDirectory _dir = new();

    public SmallDataset()
    {
        Write("kefu-data.json", """
            {
              "sources": [
                { "path": "faq.csv", "format": "csv", "category": "knowledge" },
                { "path": "dialogues.jsonl", "category": "dialogue" }
              ]
            }
            """);
        Write("faq.csv", """
            id,question,answer,category
            faq-1,退货运费谁出？,质量问题由店铺承担运费，无理由退货由顾客承担。,
            faq-2,几点发货？,16点前付款当天发货，之后次日发货。,
            faq-3,满多少包邮？,满59元包邮，不满收6元运费。,
            faq-4,可以开发票吗？,确认收货后可在订单页申请电子普通发票。,
            faq-5,积分怎么用？,100积分可抵1元，积分次年12月31日过期。,
            faq-6,支持货到付款吗？,暂不支持货到付款，可用微信、支付宝、银行卡或花呗。,
            faq-7,我要投诉，快递员把包裹扔在门口,非常抱歉，我马上为您登记投诉并反馈快递公司，核实后回复您。,exception

            """);
        Write("dialogues.jsonl", string.Join('\n',
            """{"id":"d-1","instruction":"处理用户咨询","input":"用户:我的订单什么时候到?\n客服:请提供订单号\n用户:ORD12345","output":"您的订单预计明日送达。"}""",
            """{"id":"d-2","instruction":"处理用户咨询","input":"顾客：地址写错了\n助手：请问订单号是？\n顾客：ORD12348","output":"订单ORD12348还未发货，可以为您修改地址，请告诉我新地址。"}""",
            """{"id":"d-3","instruction":"那顺丰要加钱吗？","input":"","history":[["能发顺丰吗？","可以指定顺丰。"]],"output":"指定顺丰需要加12元运费。"}""") + "\n");
    }

    public string Path => _dir.Path;

    public string File(string name) => _dir.File(name);

    public void Write(string name, string text) => System.IO.File.WriteAllText(_dir.File(name), text);

    public void Dispose() => _dir.Dispose();
}
