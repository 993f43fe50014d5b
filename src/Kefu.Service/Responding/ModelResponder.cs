using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kefu.Safety.Escalation;
using Kefu.Service.Diagnostics;
using Kefu.Service.Dialogue;
using Kefu.Service.Guarding;
using Kefu.Service.Knowledge;
using Kefu.Service.Routing;
using Kefu.Service.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kefu.Service.Responding;

/// <summary>
/// Replies with a model through <see cref="IChatClient"/>: the knowledge found for the turn goes into the system
/// prompt as numbered references, the history fills the rest of the context budget, and the tools are offered in
/// the OpenAI function format. Tool calls are run through the registry (validated, logged, counted); a refund the
/// customer has not confirmed is held back and becomes a pending action. Any model failure falls back to the
/// retrieval-only reply for that turn, so a model outage degrades answers instead of breaking the service.
/// </summary>
public sealed partial class ModelResponder(
    ChatBackends backends,
    ToolRegistry tools,
    RetrievalResponder fallback,
    ITokenCounter tokenCounter,
    Guardrails guardrails,
    ServiceMetrics metrics,
    IOptions<KefuServiceOptions> options,
    ILogger<ModelResponder> logger) : IResponder
{
    private const int MaxToolRounds = 4;
    private const string Interrupted = "……（回答中断了，请稍后再问一次，或发送“转人工”）";

    public async Task<ResponderReply> RespondAsync(Session session, string message, RouteDecision route, TextSink? stream, CancellationToken cancellationToken)
    {
        var client = ChooseClient(session, message, route);
        if (client is null)
            return await fallback.RespondAsync(session, message, route, stream, cancellationToken).ConfigureAwait(false);

        var settings = options.Value;
        var context = route.Hits.Where(h => h.Confidence >= settings.ContextThreshold).ToList();
        var systemPrompt = BuildSystemPrompt(session, context);
        var declarations = tools.Tools.Count > 0 ? tools.ToDeclarations() : null;
        var toolTokens = declarations is null ? 0 : tokenCounter.CountTokens(tools.ToOpenAiFormat().ToJsonString());
        var budget = settings.ContextTokens - settings.ReplyTokens - tokenCounter.CountTokens(systemPrompt) - tokenCounter.CountTokens(message) - toolTokens;
        var messages = new List<ChatMessage> { new(ChatRole.System, systemPrompt) };
        messages.AddRange(HistoryWindow.Select(session.Messages, Math.Max(0, budget), tokenCounter)
            .Select(m => new ChatMessage(m.Role == SessionMessage.User ? ChatRole.User : ChatRole.Assistant, m.Content)));
        messages.Add(new ChatMessage(ChatRole.User, message));
        var chatOptions = new ChatOptions { Tools = declarations, MaxOutputTokens = settings.ReplyTokens, Temperature = 0.3f };

        var records = new List<ToolCallRecord>();
        var toolResults = new List<string>();
        var streamed = new StringBuilder();
        string? text = null;
        try
        {
            for (var round = 0; round < MaxToolRounds && text is null; round++)
            {
                ChatResponse response;
                List<FunctionCallContent> calls;
                using (var stage = metrics.BeginStage(StageNames.Model))
                {
                    stage.Tag("kefu.model.purpose", "reply")
                        .Tag("kefu.model.round", round)
                        .Tag("kefu.model.escalated", ReferenceEquals(client, backends.Escalation))
                        .Tag("kefu.model.streamed", stream is not null);
                    try
                    {
                        response = await CompleteAsync(client, messages, chatOptions, stream, streamed, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        stage.Fail(e);
                        throw;
                    }
                    calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
                    stage.Tag("kefu.model.tool_calls", calls.Count)
                        .Tag("kefu.model.input_tokens", response.Usage?.InputTokenCount)
                        .Tag("kefu.model.output_tokens", response.Usage?.OutputTokenCount)
                        .Tag("kefu.model.finish_reason", response.FinishReason?.Value);
                }
                if (calls.Count == 0)
                {
                    text = stream is null ? response.Text.Trim() : streamed.ToString().Trim();
                    break;
                }
                messages.AddRange(response.Messages);
                foreach (var call in calls)
                {
                    var result = await CallToolAsync(session, message, call, records, cancellationToken).ConfigureAwait(false);
                    toolResults.Add(result);
                    messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, result)]));
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogModelFailure(session.Id, e);
            if (streamed.Length == 0)
                return await fallback.RespondAsync(session, message, route, stream, cancellationToken).ConfigureAwait(false);
            // Part of the answer is already with the customer: finish it honestly rather than start over.
            return new ResponderReply(streamed + Interrupted, context, records, Resolved: false, Streamed: true, Generated: true, ToolResults: toolResults);
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            if (streamed.Length > 0)
                return new ResponderReply(streamed + Interrupted, context, records, Resolved: false, Streamed: true, Generated: true, ToolResults: toolResults);
            return await fallback.RespondAsync(session, message, route, stream, cancellationToken).ConfigureAwait(false);
        }

        var toolUnavailable = records.Any(r => r.Outcome == "unavailable");
        var resolved = !toolUnavailable && !DontKnow().IsMatch(text);
        return new ResponderReply(stream is null ? text : streamed.ToString(), context, records, resolved, Streamed: stream is not null,
            Generated: true, ToolResults: toolResults);
    }

    /// <summary>
    /// The primary model, or the larger one when it is configured and the turn scores as complex (several questions,
    /// weak knowledge, earlier failures in a row).
    /// </summary>
    private IChatClient? ChooseClient(Session session, string message, RouteDecision route)
    {
        if (backends.Escalation is not { } escalation || backends.Primary is null)
            return backends.Primary;
        double? confidence = route.Action == OrderAction.None ? route.BestConfidence : null;
        var score = guardrails.ScoreComplexity(new ComplexitySignals(message, confidence, session.UnresolvedTurns));
        if (!score.ShouldEscalate)
            return backends.Primary;
        metrics.Escalated(score.Reasons.Count == 0 ? "score" : score.Reasons[0].Code);
        return escalation;
    }

    /// <summary>One model round: whole, or streamed with every text delta passed on as it arrives.</summary>
    private static async Task<ChatResponse> CompleteAsync(
        IChatClient client, List<ChatMessage> messages, ChatOptions options, TextSink? stream, StringBuilder streamed, CancellationToken cancellationToken)
    {
        if (stream is null)
            return await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
            if (update.Text is { Length: > 0 } delta)
            {
                streamed.Append(delta);
                await stream(delta, cancellationToken).ConfigureAwait(false);
            }
        }
        return updates.ToChatResponse();
    }

    private async Task<string> CallToolAsync(Session session, string message, FunctionCallContent call, List<ToolCallRecord> records, CancellationToken cancellationToken)
    {
        var arguments = ToolJson.Arguments(call.Arguments ?? new Dictionary<string, object?>());
        var tool = tools.Find(call.Name);
        if (tool is { RequiresConfirmation: true } && !RouterRules.Affirmation().IsMatch(SearchText.Normalize(message).Trim()))
        {
            // The model asked to act before the customer said yes: hold the call, ask for confirmation, and let the
            // customer's "确认" on the next turn carry it out.
            session.Pending = new PendingAction(call.Name, ToStrings(arguments), AwaitingArgument: null);
            records.Add(new ToolCallRecord(call.Name, arguments.GetRawText(), "needs_confirmation", 0, "waiting for the customer's confirmation"));
            return ToolResult.Failure(ToolOutcome.NeedsConfirmation,
                "顾客尚未确认。请向顾客复述订单号、退款类型和原因，并请顾客回复“确认”，确认后系统会提交。").ToModelJson();
        }
        var (result, record) = await tools.InvokeAsync(call.Name, arguments, cancellationToken).ConfigureAwait(false);
        records.Add(record);
        if (result.Outcome == ToolOutcome.Success && arguments.TryGetProperty("order_id", out var orderId) && orderId.ValueKind == JsonValueKind.String)
            session.Slots[SlotNames.OrderId] = orderId.GetString()!;
        return result.ToModelJson();
    }

    private string BuildSystemPrompt(Session session, List<KnowledgeHit> context)
    {
        var settings = options.Value;
        var prompt = new StringBuilder();
        if (settings.SystemPrompt is { Length: > 0 } configured)
        {
            prompt.Append(configured.TrimEnd()).Append('\n');
        }
        else
        {
            prompt.Append("你是").Append(settings.ShopName).Append('的').Append(settings.AssistantName).Append("，请用简洁、礼貌的中文回答顾客。\n规则：\n")
                .Append("1. 政策、规则类问题只根据【参考资料】回答；资料里没有的，请说明不确定，并建议顾客发送“转人工”，不要编造。\n")
                .Append("2. 查询订单、物流，申请退款，修改地址时使用工具；订单号为ORD加5位数字，缺少订单号时先询问顾客。\n")
                .Append("3. 调用 request_refund 之前，必须向顾客复述订单号、退款类型和原因，得到顾客明确确认后才能调用。\n")
                .Append("4. 不透露其他顾客的信息，不执行与购物无关的指令。\n");
            if (settings.HumanServiceHours is { Length: > 0 } hours)
                prompt.Append("人工客服服务时间：").Append(hours).Append('\n');
        }
        if (session.Slots.Count > 0)
            prompt.Append("已知信息：").AppendJoin("；", session.Slots.Select(s => $"{s.Key}={s.Value}")).Append('\n');
        prompt.Append("【参考资料】\n");
        if (context.Count == 0)
            prompt.Append("（没有找到相关资料）\n");
        for (var i = 0; i < context.Count; i++)
            prompt.Append('[').Append(i + 1).Append("] ").Append(context[i].Title).Append('\n').Append(context[i].Text).Append('\n');
        return prompt.ToString();
    }

    private static Dictionary<string, string> ToStrings(JsonElement arguments) =>
        arguments.ValueKind != JsonValueKind.Object
            ? []
            : arguments.EnumerateObject().ToDictionary(
                p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), StringComparer.Ordinal);

    // Replies in which the model itself says it could not help count as unanswered turns.
    [GeneratedRegex("不确定|不清楚|无法回答|没有找到|暂时无法|不太了解|建议.{0,6}转人工")]
    private static partial Regex DontKnow();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {Session}: the model failed; answering this turn in retrieval-only mode")]
    private partial void LogModelFailure(string session, Exception exception);
}
