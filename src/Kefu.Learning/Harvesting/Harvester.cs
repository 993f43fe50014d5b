using System.Globalization;
using Kefu.Data.Dedup;
using Kefu.Safety.Pii;
using Kefu.Service.Dialogue;

namespace Kefu.Learning.Harvesting;

/// <summary>
/// Turns agents' corrected answers (the answers of hand-offs an agent resolved) into training records: personal data
/// masked with <see cref="PiiScanner"/> (and a record that still shows any after masking is dropped, not trusted),
/// near-duplicates of the existing data and of each other dropped (MinHash on question + answer, so a new answer to
/// an old question is kept: that is the correction). With the conversation's transcript, a record keeps the last
/// few messages before the answer as context: the customer's last message is often only "转人工", and the question
/// the agent answered is earlier.
/// </summary>
public sealed class Harvester(double dedupThreshold = 0.8)
{
    private readonly PiiScanner _pii = PiiScanner.Default;

    /// <summary>Messages of context kept before the answer (the model's history window is short anyway).</summary>
    public const int ContextMessages = 6;

    public HarvestResult Harvest(IReadOnlyList<CorrectedAnswer> corrections, IReadOnlyList<string> existingTexts,
        IReadOnlyDictionary<string, IReadOnlyList<SessionMessage>>? transcripts = null)
    {
        ArgumentNullException.ThrowIfNull(corrections);
        ArgumentNullException.ThrowIfNull(existingTexts);
        var candidates = new List<HarvestedRecord>();
        var unusable = 0;
        foreach (var correction in corrections.OrderBy(c => c.At))
        {
            var question = _pii.Mask(correction.Question).Trim();
            var answer = _pii.Mask(correction.AgentAnswer).Trim();
            var bot = correction.BotAnswer is null ? null : _pii.Mask(correction.BotAnswer);
            var context = Context(correction, transcripts, question);
            if (question.Length == 0 || answer.Length == 0 || _pii.Scan(question).Count > 0 || _pii.Scan(answer).Count > 0
                || context.Any(m => _pii.Scan(m.Content).Count > 0))
            {
                unusable++;
                continue;
            }
            var id = string.Create(CultureInfo.InvariantCulture,
                $"learn-{correction.At.UtcDateTime:yyyyMMdd-HHmmss}-{Prefix(correction.SessionId)}-{candidates.Count + 1}");
            candidates.Add(new HarvestedRecord(id, question, answer, bot, correction.SessionId, correction.Agent, correction.At, context));
        }
        var detector = new NearDuplicateDetector(dedupThreshold);
        var texts = candidates.Select(c => ExistingTrainingTexts.Pair(string.Join('\n', c.Context.Where(m => m.Role == "user").Select(m => m.Content)), c.Answer)).ToList();
        var ofExisting = detector.FindMatches(existingTexts, texts).Select(p => p.Second).ToHashSet();
        var inBatch = detector.FindPairs(texts).Where(p => !ofExisting.Contains(p.First)).Select(p => p.Second).ToHashSet();
        inBatch.ExceptWith(ofExisting);
        var kept = candidates.Where((_, i) => !ofExisting.Contains(i) && !inBatch.Contains(i)).ToList();
        return new HarvestResult(kept, corrections.Count, ofExisting.Count, inBatch.Count, unusable,
            corrections.Count == 0 ? null : corrections.Max(c => c.At));
    }

    // The transcript up to the agent's answer: the last ContextMessages messages before it, starting with a customer
    // message and ending with one; agents' earlier messages speak for the shop, so they become assistant turns.
    private List<ContextMessage> Context(CorrectedAnswer correction, IReadOnlyDictionary<string, IReadOnlyList<SessionMessage>>? transcripts, string question)
    {
        if (transcripts is null || !transcripts.TryGetValue(correction.SessionId, out var messages))
            return [new ContextMessage("user", question)];
        var before = messages.Where(m => m.At <= correction.At).ToList();
        var answerIndex = before.FindLastIndex(m => m.Role == SessionMessage.Agent && m.Content == correction.AgentAnswer);
        if (answerIndex >= 0)
            before = before[..answerIndex];
        var lastUser = before.FindLastIndex(m => m.Role == SessionMessage.User);
        if (lastUser < 0)
            return [new ContextMessage("user", question)];
        var window = before[..(lastUser + 1)].TakeLast(ContextMessages).SkipWhile(m => m.Role != SessionMessage.User)
            .Select(m => new ContextMessage(m.Role == SessionMessage.User ? "user" : "assistant", _pii.Mask(m.Content).Trim()))
            .Where(m => m.Content.Length > 0).ToList();
        return window.Count == 0 ? [new ContextMessage("user", question)] : window;
    }

    private static string Prefix(string sessionId)
    {
        var clean = sessionId.StartsWith("s_", StringComparison.Ordinal) ? sessionId[2..] : sessionId;
        return clean.Length <= 6 ? clean : clean[..6];
    }
}
