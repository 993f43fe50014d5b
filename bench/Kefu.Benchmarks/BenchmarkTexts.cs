namespace Kefu.Benchmarks;

/// <summary>Customer-service text about the demo shop, in Chinese and in English, for throughput benchmarks.</summary>
internal static class BenchmarkTexts
{
    public const string Chinese =
        "您好，欢迎光临青禾优选！我们主营家居好物、小厨电、床品和个人护理用品，客服时间为每天9:00–22:00。" +
        "关于退货：商品支持7天无理由退货，从签收次日起计算，需保持商品未使用、可二次销售并保留吊牌；" +
        "贴身衣物、已拆封的个人护理用品、定制商品和生鲜不支持无理由退货。如遇质量问题，15天内可换货或退货，" +
        "小家电享受1年保修，电机等主要部件保修2年。质量问题的退货运费由本店承担；无理由退货的运费由顾客承担，" +
        "但订单含运费险的除外：金卡会员每单都有运费险，其他顾客可在下单时以1.5元选购，按首重标准最高赔付12元。\n" +
        "关于退款：仓库收到退货并在1–2个工作日内验收后原路退回，微信和支付宝1–3个工作日到账，银行卡3–5个工作日到账。" +
        "未发货的订单可以在订单页直接取消，款项立即退回。\n" +
        "关于发货：16:00前付款当天发货，之后付款次日发货，默认中通快递或圆通快递，如需顺丰请加12元。" +
        "满59元包邮，不满59元收取6元运费；新疆、西藏、青海加收15元且不参与包邮；暂不支持海外配送。" +
        "江浙沪一般1–2天送达，大部分省份2–4天，偏远地区5–7天。发货前可以在订单页或联系客服修改地址，发货后只能联系快递公司。\n" +
        "关于发票：默认开具电子普通发票，确认收货后在订单页申请，1–3个工作日内发送到账户邮箱；" +
        "增值税专用发票需要提供公司名称、税号、开户行及地址，5个工作日内开具；订单完成后180天内均可申请。\n" +
        "关于优惠券：每笔订单可同时使用一张店铺券和一张平台券，同类券不叠加，满减门槛按优惠后的价格计算；" +
        "订单退款后，仍在有效期内的优惠券会退回，已过期的优惠券无法恢复。\n" +
        "会员权益：普通会员免费；年消费满1000元升级银卡，享9.8折和10元生日券；年消费满3000元升级金卡，" +
        "享9.5折、20元生日券、每单运费险和专属客服。积分规则：1元积1分，100积分抵1元，积分在次年12月31日过期。" +
        "支付方式支持微信支付、支付宝、银行卡和花呗分期（满300元可享3期免息），不支持货到付款，未付款订单30分钟后自动关闭。" +
        "保修时请保留订单号，人为损坏或进水不在保修范围内，维修周期为到货后7–10天。请问还有什么可以帮您？";

    public const string English =
        "Hello and welcome to Qinghe Select! We sell home goods, small kitchen appliances, bedding and personal care " +
        "products, and our customer service team is available every day from 9:00 to 22:00.\n" +
        "Returns: you can return any item within 7 days without giving a reason, counted from the day after delivery, " +
        "as long as it is unused, resaleable and still has its tags. Underwear, opened personal care products, custom " +
        "items and fresh food cannot be returned without a reason. If an item has a quality problem you can exchange or " +
        "return it within 15 days, and small appliances come with a one-year warranty (two years for main parts such as " +
        "the motor). We pay return shipping for quality problems; for other returns the customer pays, unless the order " +
        "has shipping insurance: gold members get it on every order, everyone else can add it for 1.5 yuan at checkout, " +
        "and it refunds up to 12 yuan at the first-weight rate.\n" +
        "Refunds go back to the original payment method once the warehouse has received and checked the return, which " +
        "takes one to two working days. WeChat Pay and Alipay refunds arrive in 1-3 working days, bank cards in 3-5. " +
        "Orders that have not shipped yet can be cancelled on the order page and are refunded immediately.\n" +
        "Shipping: orders paid before 16:00 ship the same day, later orders ship the next day, by ZTO or YTO by default; " +
        "SF Express is available for 12 yuan extra. Shipping is free from 59 yuan, otherwise it costs 6 yuan; Xinjiang, " +
        "Tibet and Qinghai add 15 yuan and are never free. We do not ship overseas. Delivery usually takes 1-2 days in " +
        "Jiangsu, Zhejiang and Shanghai, 2-4 days to most provinces and 5-7 days to remote areas. You can change the " +
        "address before shipment on the order page or through customer service; after shipment only the courier can.\n" +
        "Invoices: we issue electronic invoices by default. Request one on the order page after confirming receipt and " +
        "it will be emailed within 1-3 working days. Special VAT invoices need the company name, tax number, bank and " +
        "address and take 5 working days. Invoices can be requested up to 180 days after the order completes.\n" +
        "Coupons: one shop coupon and one platform coupon per order; coupons of the same type do not stack. Is there " +
        "anything else I can help you with today?";
}
