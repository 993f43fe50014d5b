using Kefu.Safety.Replies;
using Kefu.Safety.Words;

namespace Kefu.Safety.Guards;

/// <summary>
/// The output guard: listed words with their output actions, then reply anomalies. A reply with a blocked word or an
/// anomaly is replaced (by <see cref="SafetyReplies.BlockedOutput"/> or the anomaly fallback) and the turn counts as
/// unresolved.
/// </summary>
public sealed class OutputGuard(IWordMatcherSource words, ReplyAnomalyDetector? anomalies = null, SafetyReplies? replies = null) : IOutputGuard
{
    private readonly ReplyAnomalyDetector _anomalies = anomalies ?? new ReplyAnomalyDetector();
    private readonly SafetyReplies _replies = replies ?? new SafetyReplies();

    public GuardVerdict Check(string reply, ReplyContext context)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var wordCheck = words.Current.Check(reply, TextDirection.Output);
        var anomalyVerdict = _anomalies.Check(reply, context);
        var reasons = wordCheck.Hits.Select(h => $"word:{h.Category.Name}").Distinct().ToList();
        reasons.AddRange(anomalyVerdict.Anomalies.Select(a => $"anomaly:{a.Kind}").Distinct());
        var action = wordCheck.Action;
        string? replacement = action == SafetyAction.Block ? _replies.BlockedOutput : null;
        if (anomalyVerdict.IsAnomalous)
        {
            replacement ??= anomalyVerdict.FallbackReply;
            action = SafetyAction.Block;
        }
        return new GuardVerdict(action, wordCheck.Text, replacement, reasons, wordCheck.Hits, Anomalies: anomalyVerdict)
        {
            CountsAsUnresolved = action == SafetyAction.Block,
        };
    }

    public IStreamingTextFilter BeginStream() => words.Current.BeginStream(TextDirection.Output);
}
