using System.Text;
using System.Text.RegularExpressions;

namespace Kefu.Safety.Pii;

/// <summary>
/// Finds and masks personal data in Chinese customer-service text: mainland mobile numbers, 18-digit ID card
/// numbers (GB 11643 check digit), bank card numbers (16–19 digits, Luhn) and e-mail addresses. Numbers need digit
/// boundaries, so an order or tracking number that merely contains 11 digits is not a phone number. Checksums keep
/// random digit runs (amounts, timestamps) out. Stateless and thread-safe; the service reuses it for logs.
/// </summary>
public sealed partial class PiiScanner
{
    private static readonly int[] IdWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string IdCheckDigits = "10X98765432";

    /// <summary>A shared instance.</summary>
    public static PiiScanner Default { get; } = new();

    [GeneratedRegex(@"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")]
    private static partial Regex MobilePattern();

    [GeneratedRegex(@"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")]
    private static partial Regex IdCardPattern();

    // Bank cards are written as one run or in groups of four separated by single spaces or hyphens.
    [GeneratedRegex(@"(?<![0-9])(?:[0-9]{16,19}|[0-9]{4}(?:[ -][0-9]{4}){3}(?:[ -]?[0-9]{1,3})?)(?![0-9])")]
    private static partial Regex BankCardPattern();

    [GeneratedRegex(@"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])")]
    private static partial Regex EmailPattern();

    /// <summary>All personal data in <paramref name="text"/>, by position; overlapping finds keep the more specific one.</summary>
    public IReadOnlyList<PiiMatch> Scan(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<PiiMatch>();
        // Order matters: an ID card number with a valid check digit may also pass Luhn; the ID card wins.
        foreach (Match m in IdCardPattern().Matches(text))
        {
            if (IsValidIdCard(m.Value))
                found.Add(new PiiMatch(PiiKind.IdCard, m.Index, m.Length, m.Value, MaskIdCard(m.Value)));
        }
        foreach (Match m in BankCardPattern().Matches(text))
        {
            var digits = Digits(m.Value);
            if (digits.Length is >= 16 and <= 19 && PassesLuhn(digits) && !Overlaps(found, m.Index, m.Length))
                found.Add(new PiiMatch(PiiKind.BankCard, m.Index, m.Length, m.Value, MaskBankCard(m.Value)));
        }
        foreach (Match m in MobilePattern().Matches(text))
        {
            if (!Overlaps(found, m.Index, m.Length))
                found.Add(new PiiMatch(PiiKind.MobilePhone, m.Index, m.Length, m.Value, MaskMobile(m.Value)));
        }
        foreach (Match m in EmailPattern().Matches(text))
        {
            if (!Overlaps(found, m.Index, m.Length))
                found.Add(new PiiMatch(PiiKind.Email, m.Index, m.Length, m.Value, MaskEmail(m.Value)));
        }
        found.Sort((a, b) => a.Index.CompareTo(b.Index));
        return found;
    }

    /// <summary><paramref name="text"/> with every find replaced by its masked form.</summary>
    public string Mask(string text)
    {
        var matches = Scan(text);
        if (matches.Count == 0)
            return text;
        var result = new StringBuilder(text.Length);
        var position = 0;
        foreach (var match in matches)
        {
            result.Append(text, position, match.Index - position).Append(match.Masked);
            position = match.Index + match.Length;
        }
        return result.Append(text, position, text.Length - position).ToString();
    }

    /// <summary>GB 11643-1999: the 18th character is the weighted sum of the first 17 digits mod 11, mapped through "10X98765432".</summary>
    public static bool IsValidIdCard(string id)
    {
        if (id.Length != 18)
            return false;
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(id[i]))
                return false;
            sum += (id[i] - '0') * IdWeights[i];
        }
        if (char.ToUpperInvariant(id[17]) != IdCheckDigits[sum % 11])
            return false;
        // The birth date (digits 7–14) must be a real date, which rules out most digit runs that pass the checksum.
        return DateOnly.TryParseExact(id.AsSpan(6, 8), "yyyyMMdd", out var birth) && birth.Year >= 1900;
    }

    /// <summary>The Luhn (mod 10) check used by bank card numbers.</summary>
    public static bool PassesLuhn(string digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                    d -= 9;
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    private static bool Overlaps(List<PiiMatch> found, int index, int length) =>
        found.Any(f => index < f.Index + f.Length && f.Index < index + length);

    private static string Digits(string value) => string.Concat(value.Where(char.IsAsciiDigit));

    private static string MaskMobile(string value) => value[..3] + "****" + value[^4..];

    private static string MaskIdCard(string value) => value[..6] + new string('*', 8) + value[^4..];

    private static string MaskBankCard(string value)
    {
        // Keep the first 4 and last 4 digits and the grouping, so "6222 0212 …" stays readable as a card number.
        var digitCount = value.Count(char.IsAsciiDigit);
        var seen = 0;
        var masked = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                masked.Append(c);
                continue;
            }
            seen++;
            masked.Append(seen <= 4 || seen > digitCount - 4 ? c : '*');
        }
        return masked.ToString();
    }

    private static string MaskEmail(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        var local = value[..at];
        return (local.Length <= 1 ? local : local[0] + "***") + value[at..];
    }
}
