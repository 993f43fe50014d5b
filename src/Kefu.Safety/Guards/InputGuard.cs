using Kefu.Safety.Injection;
using Kefu.Safety.Words;

namespace Kefu.Safety.Guards;

/// <summary>
/// The input guard: listed words (block, mask or flag per category) and prompt-injection heuristics. A suspected
/// injection is blocked and answered with <see cref="SafetyReplies.Injection"/>, so it never reaches the model.
/// </summary>
public sealed class InputGuard(IWordMatcherSource words, PromptInjectionDetector? injection = null, SafetyReplies? replies = null) : IInputGuard
{
    private readonly PromptInjectionDetector _injection = injection ?? new PromptInjectionDetector();
    private readonly SafetyReplies _replies = replies ?? new SafetyReplies();

    public GuardVerdict Check(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var wordCheck = words.Current.Check(message, TextDirection.Input);
        var injectionVerdict = _injection.Check(message);
        var reasons = wordCheck.Hits.Select(h => $"word:{h.Category.Name}").Distinct().ToList();
        var action = wordCheck.Action;
        string? reply = action == SafetyAction.Block ? _replies.BlockedInput : null;
        if (injectionVerdict.IsSuspected)
        {
            reasons.AddRange(injectionVerdict.Reasons.Select(r => $"injection:{r}"));
            reply ??= _replies.Injection;
            action = SafetyAction.Block;
        }
        return new GuardVerdict(action, wordCheck.Text, reply, reasons, wordCheck.Hits, Injection: injectionVerdict);
    }
}
