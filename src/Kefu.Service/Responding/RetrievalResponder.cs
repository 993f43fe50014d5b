using Kefu.Service.Dialogue;
using Kefu.Service.Knowledge;
using Kefu.Service.Routing;
using Microsoft.Extensions.Options;

namespace Kefu.Service.Responding;

/// <summary>
/// Replies without a model: the best knowledge chunk when its confidence clears the answer threshold (cited),
/// tool results in words, fixed small talk — and an honest "I don't know" otherwise, which counts toward hand-off.
/// </summary>
public sealed class RetrievalResponder(OrderDesk orderDesk, ReplyTemplates templates, IOptions<KefuServiceOptions> options) : IResponder
{
    public async Task<ResponderReply> RespondAsync(Session session, string message, RouteDecision route, TextSink? stream, CancellationToken cancellationToken)
    {
        var reply = route.Intent switch
        {
            TurnIntent.OrderQuery => WithPolicy(await orderDesk.StartAsync(session, message, route.Action, cancellationToken).ConfigureAwait(false), session, route.Hits),
            TurnIntent.SmallTalk => SmallTalk(SearchText.Normalize(message).Trim()),
            TurnIntent.Complaint => ResponderReply.Unanswered(ReplyTemplates.Apology() + ReplyTemplates.ComplaintFollowUp()),
            _ => Answer(route.Hits),
        };
        return route.Upset && route.Intent != TurnIntent.Complaint
            ? reply with { Text = ReplyTemplates.Apology() + reply.Text }
            : reply;
    }

    /// <summary>
    /// While asking for the order number, say what the knowledge base says about the request ("已发货的订单需要
    /// 联系快递改派"), when it is confident: the customer may not need the order operation at all.
    /// </summary>
    private ResponderReply WithPolicy(ResponderReply reply, Session session, IReadOnlyList<KnowledgeHit> hits)
    {
        if (session.Pending is not { AwaitingArgument: Dialogue.SlotNames.OrderId } || hits.Count == 0 || hits[0].Confidence < options.Value.AnswerThreshold)
            return reply;
        return reply with { Text = ReplyTemplates.KnowledgeAnswer(hits[0]) + "\n\n" + reply.Text, Cited = [hits[0]] };
    }

    private ResponderReply Answer(IReadOnlyList<KnowledgeHit> hits)
    {
        if (hits.Count == 0 || hits[0].Confidence < options.Value.AnswerThreshold)
            return ResponderReply.Unanswered(templates.DontKnow());
        return new ResponderReply(ReplyTemplates.KnowledgeAnswer(hits[0]), [hits[0]], [], Resolved: true);
    }

    private ResponderReply SmallTalk(string text)
    {
        if (RouterRules.Thanks().IsMatch(text))
            return ResponderReply.Answered(ReplyTemplates.Thanks());
        if (RouterRules.Goodbye().IsMatch(text))
            return ResponderReply.Answered(ReplyTemplates.Goodbye()) with { ClosesSession = true };
        if (RouterRules.Identity().IsMatch(text))
            return ResponderReply.Answered(templates.Identity());
        return ResponderReply.Answered(templates.Greeting());
    }
}
