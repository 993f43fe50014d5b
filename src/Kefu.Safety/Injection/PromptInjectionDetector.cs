using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Kefu.Text;

namespace Kefu.Safety.Injection;

/// <summary>
/// Scores a customer message for prompt injection with weighted heuristics (<see cref="DefaultInjectionRules"/>):
/// overriding instructions, role-play jailbreaks, requests for the system prompt or secrets, fake authority. The
/// score is 1 − Π(1 − weight) over the rules that fired, so weak signals count only together. Heuristics catch the
/// common phrasings, not a determined attacker; the model's own instructions remain the second line.
/// </summary>
public sealed class PromptInjectionDetector
{
    /// <summary>The score from which a message counts as an injection attempt.</summary>
    public const double DefaultThreshold = 0.5;

    private const string ClausePunctuation = "。，！？；：,!?;:";

    private readonly IReadOnlyList<InjectionRule> _rules;

    public PromptInjectionDetector(IEnumerable<InjectionRule>? rules = null, double threshold = DefaultThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, 1);
        _rules = rules?.ToList() ?? DefaultInjectionRules.All;
        Threshold = threshold;
    }

    public double Threshold { get; }

    public IReadOnlyList<InjectionRule> Rules => _rules;

    public InjectionVerdict Check(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Length == 0)
            return InjectionVerdict.Clean;
        var compact = Compact(message);
        var spaced = Spaced(message);
        var findings = new List<InjectionFinding>();
        var remaining = 1.0;
        foreach (var rule in _rules)
        {
            Match match;
            try
            {
                match = rule.Pattern.Match(rule.Form == InjectionTextForm.Compact ? compact : spaced);
            }
            catch (RegexMatchTimeoutException)
            {
                continue; // a pathological message is not evidence; the other rules still run
            }
            if (!match.Success)
                continue;
            findings.Add(new InjectionFinding(rule.Id, rule.Reason, rule.Weight, match.Value));
            remaining *= 1 - rule.Weight;
        }
        if (findings.Count == 0)
            return InjectionVerdict.Clean;
        var score = 1 - remaining;
        return new InjectionVerdict(score, score >= Threshold, findings);
    }

    /// <summary>The compact form (see <see cref="InjectionTextForm.Compact"/>).</summary>
    internal static string Compact(string message)
    {
        var folded = TextNormalizer.Normalize(message);
        var builder = new StringBuilder(folded.Length);
        foreach (var rune in folded.EnumerateRunes())
        {
            if (rune.Value is '\n' or '\r')
            {
                builder.Append('。');
                continue;
            }
            if (rune.IsBmp && ClausePunctuation.Contains((char)rune.Value, StringComparison.Ordinal))
            {
                builder.Append((char)rune.Value);
                continue;
            }
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
                or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber)
                builder.Append(rune);
        }
        return builder.ToString();
    }

    /// <summary>The spaced form (see <see cref="InjectionTextForm.Spaced"/>).</summary>
    internal static string Spaced(string message)
    {
        var folded = TextNormalizer.Normalize(message);
        var builder = new StringBuilder(folded.Length);
        var space = false;
        foreach (var c in folded)
        {
            if (char.IsWhiteSpace(c) && c != '\n')
            {
                space = builder.Length > 0;
                continue;
            }
            if (space)
                builder.Append(' ');
            space = false;
            builder.Append(c);
        }
        return builder.ToString();
    }
}
