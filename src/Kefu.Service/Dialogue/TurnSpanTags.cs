using System.Text.Json;
using System.Text.RegularExpressions;
using Kefu.Safety.Pii;
using Kefu.Service.Diagnostics;
using Kefu.Service.Responding;
using Kefu.Service.Routing;

namespace Kefu.Service.Dialogue;

/// <summary>
/// The tags a turn's stage spans carry: decisions, names and counts. The router's reason quotes the phrase a rule
/// matched in the customer's message; a trace keeps the rule and drops the quote (and masks personal data left in
/// titles), so no customer text reaches a trace backend.
/// </summary>
internal static partial class TurnSpanTags
{
    private const int MaxReasonCharacters = 200;

    public static void Route(StageSpan stage, RouteDecision route)
    {
        stage.Tag("kefu.intent", JsonNamingPolicy.SnakeCaseLower.ConvertName(route.Intent.ToString()))
            .Tag("kefu.route.action", JsonNamingPolicy.SnakeCaseLower.ConvertName(route.Action.ToString()))
            .Tag("kefu.route.reason", Reason(route.Reason))
            .Tag("kefu.search.hits", route.Hits.Count)
            .Tag("kefu.search.confidence", Math.Round(route.BestConfidence, 3))
            .Tag("kefu.route.upset", route.Upset)
            .Tag("kefu.route.strongly_negative", route.StronglyNegative);
    }

    public static void Reply(StageSpan stage, ResponderReply reply)
    {
        stage.Tag("kefu.reply.resolved", reply.Resolved)
            .Tag("kefu.reply.generated", reply.Generated)
            .Tag("kefu.reply.cited", reply.Cited.Count)
            .Tag("kefu.reply.tool_calls", reply.ToolCalls.Count)
            .Tag("kefu.reply.characters", reply.Text.Length);
    }

    /// <summary>The router's reason without the customer's words: <c>rule tracking: "…"</c>.</summary>
    public static string Reason(string reason)
    {
        var withoutQuotes = QuotedText().Replace(reason, "\"…\"");
        var masked = PiiScanner.Default.Mask(withoutQuotes);
        return masked.Length <= MaxReasonCharacters ? masked : masked[..MaxReasonCharacters] + "…";
    }

    [GeneratedRegex("\"[^\"]*\"")]
    private static partial Regex QuotedText();
}
