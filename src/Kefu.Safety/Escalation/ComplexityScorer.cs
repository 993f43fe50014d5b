using System.Globalization;
using System.Text.RegularExpressions;

namespace Kefu.Safety.Escalation;

/// <summary>
/// Scores how hard a turn looks, to route it to a larger backend when one is configured: several questions in one
/// message (question marks, clauses with interrogatives, connectives such as 另外/还有/以及), several order numbers,
/// a long message, weak knowledge-base retrieval, and recent turns that went unresolved.
/// </summary>
public sealed partial class ComplexityScorer(ComplexityOptions? options = null)
{
    private static readonly string[] Interrogatives =
    [
        "怎么", "怎样", "如何", "多少", "多久", "几天", "几个", "几号", "几点", "什么", "哪", "为什么", "为啥",
        "能不能", "可不可以", "是不是", "有没有", "是否", "谁",
    ];

    private readonly ComplexityOptions _options = options ?? new ComplexityOptions();

    public ComplexityOptions Options => _options;

    public ComplexityScore Score(ComplexitySignals signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var message = signals.Message ?? string.Empty;
        var reasons = new List<ComplexityReason>();

        var questions = CountQuestions(message);
        var connectives = ConnectivePattern().Count(message);
        var identifiers = IdentifierPattern().Matches(message).Select(m => m.Value).Distinct(StringComparer.Ordinal).Count();
        var multiPart = new List<ComplexityReason>();
        if (questions > 1)
            multiPart.Add(new ComplexityReason("questions", $"{questions} questions in one message", (questions - 1) * _options.PerExtraQuestion));
        if (connectives > 0)
            multiPart.Add(new ComplexityReason("connectives", $"{connectives} connectives that add a topic (另外/还有/以及…)", connectives * _options.PerConnective));
        if (identifiers > 1)
            multiPart.Add(new ComplexityReason("identifiers", $"{identifiers} different order or tracking numbers", (identifiers - 1) * _options.PerConnective));
        var multiPartTotal = multiPart.Sum(r => r.Contribution);
        if (multiPartTotal > _options.MultiPartCap)
        {
            // Scale the parts down so they still add up to what the score counts.
            var scale = _options.MultiPartCap / multiPartTotal;
            multiPart = [.. multiPart.Select(r => r with { Contribution = r.Contribution * scale })];
        }
        reasons.AddRange(multiPart);

        if (message.Length > _options.LongMessageLength)
            reasons.Add(new ComplexityReason("long_message", $"{message.Length} characters", _options.LongMessage));
        if (signals.RetrievalConfidence is { } confidence && confidence < _options.LowRetrievalConfidence)
        {
            reasons.Add(new ComplexityReason("low_retrieval",
                string.Create(CultureInfo.InvariantCulture, $"retrieval confidence {confidence:0.00} < {_options.LowRetrievalConfidence:0.00}"), _options.LowRetrieval));
        }
        if (signals.RecentFailures > 0)
        {
            reasons.Add(new ComplexityReason("recent_failures", $"{signals.RecentFailures} recent unresolved turns",
                Math.Min(_options.FailureCap, signals.RecentFailures * _options.PerRecentFailure)));
        }

        var value = Math.Clamp(reasons.Sum(r => r.Contribution), 0, 1);
        return new ComplexityScore(value, value >= _options.EscalationThreshold, [.. reasons.OrderByDescending(r => r.Contribution)]);
    }

    /// <summary>
    /// Questions: groups of question marks, or clauses that carry an interrogative or end in 吗/呢, whichever is more.
    /// </summary>
    internal static int CountQuestions(string message)
    {
        var marks = QuestionMarkGroups().Count(message);
        var clauses = ClauseSeparators().Split(message)
            .Select(c => c.Trim())
            .Count(c => c.Length > 0 && (Interrogatives.Any(q => c.Contains(q, StringComparison.Ordinal)) || c[^1] is '吗' or '呢' or '么'));
        return Math.Max(marks, clauses);
    }

    [GeneratedRegex("[？?]+")]
    private static partial Regex QuestionMarkGroups();

    [GeneratedRegex("[。！？?!；;，,\n]")]
    private static partial Regex ClauseSeparators();

    /// <summary>
    /// Connectives that open another topic; 还有 only when it introduces one (还有，… / 还有一个问题), since 还有货吗 is a
    /// single question.
    /// </summary>
    [GeneratedRegex("另外|以及|此外|顺便|再问一下|再问个|还想问|其次|还有(?:[，,、:：]|一个问题|个问题|就是|一点|一件事)")]
    private static partial Regex ConnectivePattern();

    [GeneratedRegex("[A-Za-z]{2,4}\\d{5,}")]
    private static partial Regex IdentifierPattern();
}
