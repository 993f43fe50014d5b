using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Kefu.Safety.Replies;

/// <summary>
/// Checks a model reply before it reaches the customer: length, looping, broken encoding and garbage, leaked template
/// markup, wrong language, and order statuses that contradict the turn's tool results. An anomalous reply is
/// replaced by <see cref="ReplyAnomalyOptions.FallbackReply"/> and the turn counts as unresolved.
/// </summary>
public sealed partial class ReplyAnomalyDetector(ReplyAnomalyOptions? options = null)
{
    private readonly ReplyAnomalyOptions _options = options ?? new ReplyAnomalyOptions();

    public ReplyAnomalyOptions Options => _options;

    public ReplyAnomalyVerdict Check(string reply, ReplyContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(reply);
        context ??= ReplyContext.None;
        var anomalies = new List<ReplyAnomaly>();
        CheckLength(reply, anomalies);
        CheckEncoding(reply, anomalies);
        CheckTemplateLeak(reply, anomalies);
        CheckRepetition(reply, anomalies);
        CheckLanguage(reply, context, anomalies);
        CheckToolContradiction(reply, context, anomalies);
        return new ReplyAnomalyVerdict(anomalies, anomalies.Count > 0 ? _options.FallbackReply : null);
    }

    /// <summary>Share of the reply's character n-grams (white space removed) that repeat an earlier one.</summary>
    public static double RepeatedGramRate(string text, int gramSize, out int gramCount)
    {
        var compact = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        gramCount = Math.Max(0, compact.Length - gramSize + 1);
        if (gramCount == 0)
            return 0;
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < gramCount; i++)
            distinct.Add(compact.Substring(i, gramSize));
        return 1 - (double)distinct.Count / gramCount;
    }

    private void CheckLength(string reply, List<ReplyAnomaly> anomalies)
    {
        var visible = reply.Count(c => !char.IsWhiteSpace(c));
        if (visible < _options.MinLength)
            anomalies.Add(new ReplyAnomaly(ReplyAnomalyKind.TooShort, $"{visible} visible characters < {_options.MinLength}"));
        if (reply.Length > _options.MaxLength)
            anomalies.Add(new ReplyAnomaly(ReplyAnomalyKind.TooLong, $"{reply.Length} characters > {_options.MaxLength}"));
    }

    private void CheckEncoding(string reply, List<ReplyAnomaly> anomalies)
    {
        int replacement = 0, control = 0, loneSurrogates = 0, unexpected = 0, visible = 0;
        for (var i = 0; i < reply.Length; i++)
        {
            var c = reply[i];
            if (char.IsHighSurrogate(c) && i + 1 < reply.Length && char.IsLowSurrogate(reply[i + 1]))
            {
                visible++;
                if (IsUnexpected(new Rune(c, reply[++i])))
                    unexpected++;
                continue;
            }
            if (char.IsSurrogate(c))
            {
                loneSurrogates++;
                continue;
            }
            if (c == '\uFFFD')
                replacement++;
            else if (char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
                control++;
            if (char.IsWhiteSpace(c))
                continue;
            visible++;
            if (IsUnexpected(new Rune(c)))
                unexpected++;
        }
        if (replacement + control + loneSurrogates > 0)
        {
            anomalies.Add(new ReplyAnomaly(ReplyAnomalyKind.BrokenEncoding,
                $"{replacement} U+FFFD, {control} control characters, {loneSurrogates} lone surrogates"));
        }
        if (visible > 0 && (double)unexpected / visible > _options.MaxUnexpectedCharacterRate)
        {
            anomalies.Add(new ReplyAnomaly(ReplyAnomalyKind.Garbage,
                $"{unexpected} of {visible} characters are unexpected (mojibake, private use, box drawing)"));
        }
    }

    /// <summary>
    /// Characters a Chinese support reply has no use for but broken decoding produces: Latin-1 and Latin Extended
    /// letters (UTF-8 read as Latin-1 or CP1252 gives "Ã¤Â¸"), private use, unassigned, box drawing, specials.
    /// </summary>
    private static bool IsUnexpected(Rune rune)
    {
        var value = rune.Value;
        if (value is >= 0x80 and <= 0xFF)
            return value is not (0xA5 or 0xA3 or 0xB7 or 0xD7 or 0xF7 or 0xB0 or 0xB1 or 0xA7 or 0xA9 or 0xAE or 0xA0);
        if (value is >= 0x100 and <= 0x2AF or >= 0x2500 and <= 0x259F or >= 0xFFF0 and <= 0xFFFF)
            return true;
        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
    }

    private void CheckTemplateLeak(string reply, List<ReplyAnomaly> anomalies)
    {
        var marker = _options.TemplateMarkers.FirstOrDefault(m => reply.Contains(m, StringComparison.OrdinalIgnoreCase));
        if (marker is null)
        {
            var special = SpecialTokenPattern().Match(reply);
            if (special.Success)
                marker = special.Value;
        }
        if (marker is not null)
            anomalies.Add(new ReplyAnomaly(ReplyAnomalyKind.TemplateLeak, $"contains {marker}"));
    }

    private void CheckRepetition(string reply, List<ReplyAnomaly> anomalies)
    {
        var rate = RepeatedGramRate(reply, _options.GramSize, out var grams);
        if (grams >= _options.MinGramsForRepetition && rate > _options.MaxRepeatedGramRate)
        {
            anomalies.Add(new ReplyAnomaly(ReplyAnomalyKind.Repetition,
                string.Create(CultureInfo.InvariantCulture, $"{_options.GramSize}-gram repetition {rate:0.00} > {_options.MaxRepeatedGramRate:0.00}")));
            return;
        }
        var loop = ConsecutiveLoop(reply);
        if (loop is not null)
            anomalies.Add(new ReplyAnomaly(ReplyAnomalyKind.Repetition, $"'{loop}' repeated back to back"));
    }

    /// <summary>
    /// A unit of 2–12 characters repeated back to back <see cref="ReplyAnomalyOptions.MaxConsecutiveRepeats"/> times,
    /// or one character twice that often; units without a letter (……, ----, 0000) are not loops.
    /// </summary>
    private string? ConsecutiveLoop(string reply)
    {
        for (var unit = 1; unit <= 12; unit++)
        {
            var times = unit == 1 ? 2 * _options.MaxConsecutiveRepeats : _options.MaxConsecutiveRepeats;
            var run = 0;
            for (var i = unit; i < reply.Length; i++)
            {
                run = reply[i] == reply[i - unit] ? run + 1 : 0;
                if (run < unit * (times - 1))
                    continue;
                var text = reply.Substring(i - unit + 1, unit);
                if (text.Any(char.IsLetter))
                    return text;
            }
        }
        return null;
    }

    private void CheckLanguage(string reply, ReplyContext context, List<ReplyAnomaly> anomalies)
    {
        var conversationIsChinese = context.CustomerMessage is null || ScriptWeights.Of(context.CustomerMessage).IsMostlyHan;
        if (!conversationIsChinese)
            return;
        var weights = ScriptWeights.Of(reply);
        var total = weights.Han + weights.Foreign;
        if (total < _options.MinLetterWeightForLanguage)
            return;
        var foreignRate = weights.Foreign / total;
        if (foreignRate > _options.MaxForeignScriptRate)
        {
            anomalies.Add(new ReplyAnomaly(ReplyAnomalyKind.WrongLanguage,
                string.Create(CultureInfo.InvariantCulture, $"Chinese conversation, reply {foreignRate:P0} foreign script")));
        }
    }

    private static void CheckToolContradiction(string reply, ReplyContext context, List<ReplyAnomaly> anomalies)
    {
        if (context.ToolResults is not { Count: > 0 } results)
            return;
        var statuses = OrderStatusContradictions.StatusesIn(results);
        var claims = OrderStatusContradictions.Contradictions(reply, statuses).Distinct().ToList();
        if (claims.Count > 0)
        {
            anomalies.Add(new ReplyAnomaly(ReplyAnomalyKind.ContradictsToolResult,
                $"tool result says {string.Join('/', statuses)}; reply says {string.Join('、', claims)}"));
        }
    }

    [GeneratedRegex(@"<\|[a-z_]{2,20}\|>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SpecialTokenPattern();
}
