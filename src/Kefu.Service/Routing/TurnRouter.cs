using System.Diagnostics;
using System.Globalization;
using Kefu.Safety.Pii;
using Kefu.Service.Diagnostics;
using Kefu.Service.Dialogue;
using Kefu.Service.Knowledge;
using Kefu.Service.Responding;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kefu.Service.Routing;

/// <summary>
/// Classifies each turn (after the input guard has screened it for listed words and prompt injection): phrase
/// rules first (hand-off requests, complaints, order operations), then the
/// knowledge base's confidence, then small-talk patterns, and — only for turns none of these settles — the model
/// when one is configured. The reason is logged with every decision.
/// </summary>
public sealed partial class TurnRouter(
    IKnowledgeBase knowledgeBase,
    IOptions<KefuServiceOptions> options,
    SlotExtractor slots,
    ChatBackends backends,
    ServiceMetrics metrics,
    ILogger<TurnRouter> logger)
{
    private const int SearchLimit = 3;
    private const int SmallTalkMaxCharacters = 16;
    private readonly ModelIntentClassifier? _classifier = backends.Primary is null ? null : new ModelIntentClassifier(backends.Primary);

    public async Task<RouteDecision> RouteAsync(Session session, string message, CancellationToken cancellationToken)
    {
        var decision = await DecideAsync(session, message, cancellationToken).ConfigureAwait(false);
        if (RouterRules.NotHelped().IsMatch(SearchText.Normalize(message)) && session.Messages.Any(m => m.Role == SessionMessage.Assistant))
            decision = decision with { RejectsPreviousAnswer = true, Reason = decision.Reason + "; the customer says the previous answer did not help" };
        var previous = session.Messages.LastOrDefault(m => m.Role == SessionMessage.User)?.Content;
        if (NegativeSentiment.IsStrong(SearchText.Normalize(message), previous is null ? null : SearchText.Normalize(previous)))
            decision = decision with { StronglyNegative = true, Upset = true, Reason = decision.Reason + "; strong negative sentiment" };
        // Rule matches quote the customer: mask personal data before it reaches the logs.
        if (logger.IsEnabled(LogLevel.Information))
        {
            var maskedReason = PiiScanner.Default.Mask(decision.Reason);
            LogDecision(session.Id, decision.Intent, decision.Action, maskedReason);
        }
        return decision;
    }

    private async Task<RouteDecision> DecideAsync(Session session, string message, CancellationToken cancellationToken)
    {
        var text = SearchText.Normalize(message).Trim();
        if (RouterRules.HumanRequest().Match(text) is { Success: true } human)
            return Decide(TurnIntent.HumanRequest, $"rule human request: \"{human.Value}\"");
        if (RouterRules.StrongComplaint().Match(text) is { Success: true } complaint)
            return Decide(TurnIntent.Complaint, $"rule complaint: \"{complaint.Value}\"", upset: true) with { Escalate = true };

        var upset = RouterRules.Upset().Match(text);
        var hits = await SearchAsync(message, cancellationToken).ConfigureAwait(false);
        var best = hits.Count == 0 ? 0 : hits[0].Confidence;
        var score = best.ToString("F2", CultureInfo.InvariantCulture);
        var threshold = options.Value.AnswerThreshold.ToString("F2", CultureInfo.InvariantCulture);
        var orderInMessage = slots.FindOrderId(text) is not null;
        var orderKnown = orderInMessage || session.Slots.ContainsKey(SlotNames.OrderId);

        if (RouterRules.ChangeAddress().Match(text) is { Success: true } address && (orderInMessage || !RouterRules.HowTo().IsMatch(text)))
            return Decide(TurnIntent.OrderQuery, $"rule change address: \"{address.Value}\"", OrderAction.ChangeAddress, hits, upset.Success);
        if (RouterRules.RefundRequest().Match(text) is { Success: true } refund && (orderInMessage || !RouterRules.HowTo().IsMatch(text)))
            return Decide(TurnIntent.OrderQuery, $"rule refund request: \"{refund.Value}\"", OrderAction.Refund, hits, upset.Success);
        if (RouterRules.Tracking().Match(text) is { Success: true } tracking)
            return Decide(TurnIntent.OrderQuery, $"rule tracking: \"{tracking.Value}\"", OrderAction.Tracking, hits, upset.Success);
        if (orderKnown && RouterRules.Timing().Match(text) is { Success: true } timing)
            return Decide(TurnIntent.OrderQuery, $"rule timing with a known order: \"{timing.Value}\"", OrderAction.Tracking, hits, upset.Success);
        if (orderKnown && RouterRules.StatusQuestion().Match(text) is { Success: true } statusQuestion)
            return Decide(TurnIntent.OrderQuery, $"rule status question with a known order: \"{statusQuestion.Value}\"", OrderAction.Status, hits, upset.Success);
        if (RouterRules.OrderStatus().Match(text) is { Success: true } status)
            return Decide(TurnIntent.OrderQuery, $"rule order status: \"{status.Value}\"", OrderAction.Status, hits, upset.Success);

        if (best >= options.Value.AnswerThreshold)
            return Decide(TurnIntent.Knowledge, $"knowledge confidence {score} >= {threshold} ({hits[0].Title})", hits: hits, upset: upset.Success);
        if (orderInMessage)
            return Decide(TurnIntent.OrderQuery, $"order number given, knowledge confidence {score}", OrderAction.Status, hits, upset.Success);
        if (upset.Success)
            return Decide(TurnIntent.Complaint, $"rule upset: \"{upset.Value}\", knowledge confidence {score}", hits: hits, upset: true);
        if (text.Length <= SmallTalkMaxCharacters && IsSmallTalk(text) is { } smallTalk)
            return Decide(TurnIntent.SmallTalk, $"rule small talk: {smallTalk}, knowledge confidence {score}", hits: hits);

        if (_classifier is not null)
        {
            TurnIntent? label;
            using (var stage = metrics.BeginStage(StageNames.Model))
            {
                stage.Tag("kefu.model.purpose", "classify");
                label = await _classifier.ClassifyAsync(message, cancellationToken).ConfigureAwait(false);
                stage.Tag("kefu.model.label", label?.ToString());
            }
            if (label is { } modelIntent)
            {
                var action = modelIntent == TurnIntent.OrderQuery ? (orderKnown ? OrderAction.Status : OrderAction.None) : OrderAction.None;
                return Decide(modelIntent, $"model label {modelIntent}, knowledge confidence {score}", action, hits);
            }
        }
        return Decide(TurnIntent.Knowledge, $"no rule matched; knowledge confidence {score} < {threshold}", hits: hits);
    }

    private async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string message, CancellationToken cancellationToken)
    {
        using var stage = metrics.BeginStage(StageNames.Search);
        var started = Stopwatch.GetTimestamp();
        var hits = await knowledgeBase.SearchAsync(message, SearchLimit, cancellationToken).ConfigureAwait(false);
        metrics.KnowledgeSearched(Stopwatch.GetElapsedTime(started));
        stage.Tag("kefu.search.limit", SearchLimit)
            .Tag("kefu.search.hits", hits.Count)
            .Tag("kefu.search.confidence", hits.Count == 0 ? 0 : Math.Round(hits[0].Confidence, 3));
        return hits;
    }

    private static string? IsSmallTalk(string text) =>
        RouterRules.Greeting().IsMatch(text) ? "greeting"
        : RouterRules.Thanks().IsMatch(text) ? "thanks"
        : RouterRules.Goodbye().IsMatch(text) ? "goodbye"
        : RouterRules.Identity().IsMatch(text) ? "identity"
        : null;

    private static RouteDecision Decide(
        TurnIntent intent, string reason, OrderAction action = OrderAction.None, IReadOnlyList<KnowledgeHit>? hits = null, bool upset = false) =>
        new(intent, action, reason, hits ?? [], upset);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {Session}: routed to {Intent}/{Action} because {Reason}")]
    private partial void LogDecision(string session, TurnIntent intent, OrderAction action, string reason);
}
