using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kefu.Safety.Replies;

/// <summary>
/// A small table of which order-status claims in a reply contradict which status a tool returned (the shop's
/// statuses: 待付款/待发货/已发货/已签收/已取消/退款中/已退款). A claim in a conditional or a question ("未发货的订单
/// 可以直接取消", "如果还没发货", "已发货了吗") states nothing about this order and is ignored.
/// </summary>
internal static class OrderStatusContradictions
{
    private enum Claim { NotShipped, Shipped, InTransit, Delivered, Unpaid, Cancelled, Refunding, Refunded }

    private static readonly (Claim Claim, string[] Phrases)[] ClaimPhrases =
    [
        (Claim.NotShipped, ["未发货", "还没发货", "还没有发货", "尚未发货", "没有发货", "还未发货", "待发货", "暂未发货", "没发货", "还没发出", "尚未发出"]),
        (Claim.Shipped, ["已发货", "已经发货", "已经发出", "已发出", "已寄出", "已经寄出", "已揽收", "已出库"]),
        (Claim.InTransit, ["运输中", "派送中", "配送中", "正在配送", "正在派送", "正在运输", "还在路上", "在途中", "尚未签收", "还没签收", "未签收", "还没送到"]),
        (Claim.Delivered, ["已签收", "已经签收", "已送达", "已经送达", "已经送到", "已妥投", "已收货"]),
        (Claim.Unpaid, ["待付款", "未付款", "还没付款", "尚未付款", "未支付", "还没支付", "没有付款"]),
        (Claim.Cancelled, ["已取消", "已经取消", "已被取消", "已关闭", "已经关闭"]),
        (Claim.Refunding, ["退款中", "退款处理中", "正在退款", "正在处理退款", "退款审核中", "退款正在处理"]),
        (Claim.Refunded, ["已退款", "退款已到账", "退款成功", "已经退款", "款项已退回", "已原路退回", "退款已完成", "已完成退款"]),
    ];

    private static readonly Dictionary<string, Claim[]> ContradictedBy = new(StringComparer.Ordinal)
    {
        ["待付款"] = [Claim.Shipped, Claim.InTransit, Claim.Delivered, Claim.Refunding, Claim.Refunded, Claim.Cancelled],
        ["待发货"] = [Claim.Shipped, Claim.InTransit, Claim.Delivered, Claim.Unpaid, Claim.Cancelled, Claim.Refunded],
        ["已发货"] = [Claim.NotShipped, Claim.Delivered, Claim.Unpaid, Claim.Cancelled, Claim.Refunding, Claim.Refunded],
        ["已签收"] = [Claim.NotShipped, Claim.InTransit, Claim.Unpaid, Claim.Cancelled, Claim.Refunding, Claim.Refunded],
        ["已取消"] = [Claim.Shipped, Claim.InTransit, Claim.Delivered],
        ["退款中"] = [Claim.Refunded, Claim.Unpaid, Claim.Cancelled],
        ["已退款"] = [Claim.Refunding, Claim.Unpaid],
    };

    private static readonly Regex Phrase = new(
        string.Join('|', ClaimPhrases.SelectMany(c => c.Phrases).OrderByDescending(p => p.Length).Select(Regex.Escape)),
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private static readonly Dictionary<string, Claim> ClaimOf =
        ClaimPhrases.SelectMany(c => c.Phrases.Select(p => (p, c.Claim))).ToDictionary(x => x.p, x => x.Claim, StringComparer.Ordinal);

    private static readonly string[] ConditionalBefore = ["如果", "若", "假如", "只有", "仅", "对于", "一旦", "是否", "不是", "并非", "无论", "不管", "要是"];
    private static readonly string[] ConditionalAfter = ["的订单", "的商品", "的包裹", "的话", "时", "前", "之前", "以前", "后", "状态下", "的情况", "才", "吗", "？", "?", "呢"];

    /// <summary>The known statuses the tool results state: a JSON <c>status</c> field at any depth, else the words.</summary>
    public static IReadOnlySet<string> StatusesIn(IEnumerable<string> toolResults)
    {
        var statuses = new HashSet<string>(StringComparer.Ordinal);
        foreach (var result in toolResults)
        {
            if (!TryCollectJsonStatuses(result, statuses))
            {
                foreach (var status in ContradictedBy.Keys)
                {
                    if (result.Contains(status, StringComparison.Ordinal))
                        statuses.Add(status);
                }
            }
        }
        return statuses;
    }

    /// <summary>
    /// Claims in <paramref name="reply"/> that every status in <paramref name="statuses"/> contradicts (with several
    /// orders in play, a claim may be about any of them).
    /// </summary>
    public static IEnumerable<string> Contradictions(string reply, IReadOnlySet<string> statuses)
    {
        var known = statuses.Where(ContradictedBy.ContainsKey).ToList();
        if (known.Count == 0)
            yield break;
        foreach (Match match in Phrase.Matches(reply))
        {
            var claim = ClaimOf[match.Value];
            if (!known.All(s => ContradictedBy[s].Contains(claim)) || IsConditional(reply, match))
                continue;
            yield return match.Value;
        }
    }

    private static bool IsConditional(string reply, Match match)
    {
        var before = reply.AsSpan(Math.Max(0, match.Index - 6), Math.Min(6, match.Index));
        var after = reply.AsSpan(match.Index + match.Length);
        foreach (var marker in ConditionalBefore)
        {
            if (before.Contains(marker, StringComparison.Ordinal))
                return true;
        }
        foreach (var marker in ConditionalAfter)
        {
            if (after.StartsWith(marker, StringComparison.Ordinal) || after.StartsWith("了" + marker, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    private static bool TryCollectJsonStatuses(string text, HashSet<string> statuses)
    {
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.IsEmpty || trimmed[0] is not ('{' or '['))
            return false;
        try
        {
            using var document = JsonDocument.Parse(text);
            Collect(document.RootElement, statuses);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void Collect(JsonElement element, HashSet<string> statuses)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String
                        && property.Name.EndsWith("status", StringComparison.OrdinalIgnoreCase)
                        && ContradictedBy.ContainsKey(property.Value.GetString()!))
                        statuses.Add(property.Value.GetString()!);
                    else
                        Collect(property.Value, statuses);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    Collect(item, statuses);
                break;
        }
    }
}
