using System.Text.RegularExpressions;
using Kefu.Service.Knowledge;

namespace Kefu.Service.Dialogue;

/// <summary>
/// Finds the facts a customer states in passing (order number, phone, tracking number, product) so later turns
/// can use them: "我的订单是ORD12345" now, "到哪了？" two turns later.
/// </summary>
public sealed partial class SlotExtractor
{
    /// <summary>
    /// Order numbers when the shop names no format: 2–6 letters then 5–20 digits (ORD12345, SO20241123001). Shops
    /// whose numbers are digits only set <see cref="KefuServiceOptions.OrderIdPattern"/>.
    /// </summary>
    public const string DefaultOrderIdPattern = @"[a-z]{2,6}\d{5,20}";

    private readonly List<(string Key, string Product)> _productKeys;
    private readonly Regex _orderId;

    /// <param name="productNames">The catalog's product names. A product is recognised by its full name or by
    /// any tail of a Chinese part of it two characters or longer ("空气炸锅" for "青禾可视空气炸锅 5L"), the way
    /// customers shorten names.</param>
    /// <param name="orderIdPattern">The shop's order-number format as a .NET regex (matched case-insensitively, as
    /// a whole token); null: <see cref="DefaultOrderIdPattern"/>.</param>
    public SlotExtractor(IEnumerable<string> productNames, string? orderIdPattern = null)
    {
        ArgumentNullException.ThrowIfNull(productNames);
        // Lookarounds rather than \b: in .NET a Chinese character is a word character, so "订单ORD12345" has no \b.
        _orderId = new Regex($"(?<![a-z0-9])(?:{orderIdPattern ?? DefaultOrderIdPattern})(?![a-z0-9])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        _productKeys = [];
        foreach (var name in productNames.Distinct(StringComparer.Ordinal))
        {
            _productKeys.Add((SearchText.Normalize(name), name));
            foreach (var run in SearchText.Runs(name).Where(r => r.IsCjk && r.Characters.Count >= 2))
            {
                for (var start = 0; start <= run.Characters.Count - 2; start++)
                    _productKeys.Add((string.Concat(run.Characters.Skip(start)), name));
            }
        }
        // Longest keys first, so "电动牙刷替换刷头" wins over "刷头" and a full name over any tail.
        _productKeys.Sort((a, b) => b.Key.Length.CompareTo(a.Key.Length));
    }

    /// <summary>The slots stated in <paramref name="message"/> (only those found).</summary>
    public Dictionary<string, string> Extract(string message)
    {
        var slots = new Dictionary<string, string>(StringComparer.Ordinal);
        var normalized = SearchText.Normalize(message);
        if (FindOrderId(message) is { } order)
            slots[SlotNames.OrderId] = order;
        if (Phone().Match(normalized) is { Success: true } phone)
            slots[SlotNames.Phone] = phone.Value;
        if (TrackingNumber().Match(normalized) is { Success: true } tracking)
            slots[SlotNames.TrackingNumber] = tracking.Value.ToUpperInvariant();
        var product = _productKeys.FirstOrDefault(p => normalized.Contains(p.Key, StringComparison.Ordinal));
        if (product.Product is not null)
            slots[SlotNames.Product] = product.Product;
        return slots;
    }

    /// <summary>The order number in a text, upper-cased, or null; a tracking number is never taken for one.</summary>
    public string? FindOrderId(string text)
    {
        var normalized = SearchText.Normalize(text);
        for (var match = _orderId.Match(normalized); match.Success; match = match.NextMatch())
        {
            if (!TrackingNumber().IsMatch(match.Value))
                return match.Value.ToUpperInvariant();
        }
        return null;
    }

    [GeneratedRegex(@"(?<!\d)1[3-9]\d{9}(?!\d)")]
    private static partial Regex Phone();

    [GeneratedRegex(@"(?<![a-z0-9])(zto\d{12}|yto\d{10}|sf\d{12})(?!\d)", RegexOptions.IgnoreCase)]
    private static partial Regex TrackingNumber();
}
