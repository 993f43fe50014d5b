using Kefu.Safety.Pii;
using Kefu.Data.Records;
using Kefu.Text;

namespace Kefu.Data.Building;

/// <summary>Masks personal data in every turn and tool-call argument of a record.</summary>
internal static class PiiMasking
{
    public static DataRecord Mask(DataRecord record, PiiScanner scanner)
    {
        var changed = false;
        var turns = new List<ChatTurn>(record.Turns.Count);
        foreach (var turn in record.Turns)
        {
            var content = scanner.Mask(turn.Content);
            var calls = turn.ToolCalls.Select(c => c with { ArgumentsJson = scanner.Mask(c.ArgumentsJson) }).ToList();
            var turnChanged = content != turn.Content || calls.Where((c, i) => c.ArgumentsJson != turn.ToolCalls[i].ArgumentsJson).Any();
            turns.Add(turnChanged ? turn with { Content = content, ToolCalls = calls } : turn);
            changed |= turnChanged;
        }
        return changed ? record with { Turns = turns } : record;
    }
}
