using System.Text;
using Kefu.Text;

namespace Kefu.Model.Chat;

/// <summary>
/// Sits between streamed model text and the caller: releases plain text as soon as it cannot be the start of a
/// stop sequence or of a <c>&lt;tool_call&gt;</c>, ends the reply at a stop sequence, and holds everything from the
/// first <c>&lt;tool_call&gt;</c> on, to be parsed into tool calls when the reply is complete.
/// </summary>
internal sealed class ReplyFilter
{
    private readonly IReadOnlyList<string> _stopSequences;
    private readonly StringBuilder _pending = new();
    private readonly StringBuilder _toolPart = new();

    public ReplyFilter(IEnumerable<string>? stopSequences) =>
        _stopSequences = stopSequences?.Where(s => !string.IsNullOrEmpty(s)).ToList() ?? [];

    /// <summary>True once a stop sequence was seen: the caller should stop generating.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Takes a piece of model text; returns the text now safe to show.</summary>
    public string Push(string text)
    {
        if (Stopped)
            return "";
        if (_toolPart.Length > 0)
        {
            _toolPart.Append(text);
            return "";
        }
        _pending.Append(text);
        var pending = _pending.ToString();

        var (stopAt, _) = FirstOf(pending, _stopSequences);
        var toolAt = pending.IndexOf(ToolCallParser.OpenTag, StringComparison.Ordinal);
        if (stopAt >= 0 && (toolAt < 0 || stopAt < toolAt))
        {
            Stopped = true;
            _pending.Clear();
            return pending[..stopAt];
        }
        if (toolAt >= 0)
        {
            _toolPart.Append(pending, toolAt, pending.Length - toolAt);
            _pending.Clear();
            return pending[..toolAt];
        }

        var hold = LongestHeldSuffix(pending);
        _pending.Clear().Append(pending, pending.Length - hold, hold);
        return pending[..^hold];
    }

    /// <summary>Ends the reply: the text still held back, and the tool calls parsed from the held tool part.</summary>
    public (string Text, IReadOnlyList<ToolCall> Calls, IReadOnlyList<string> Problems) Complete()
    {
        var held = Stopped ? "" : _pending.ToString();
        _pending.Clear();
        if (_toolPart.Length == 0)
            return (held, [], []);
        var parsed = ToolCallParser.Parse(_toolPart.ToString());
        _toolPart.Clear();
        var text = parsed.Text.Trim().Length == 0 ? held : held + parsed.Text;
        return (text, parsed.Calls, parsed.Problems);
    }

    private int LongestHeldSuffix(string text)
    {
        var longest = 0;
        foreach (var marker in _stopSequences.Append(ToolCallParser.OpenTag))
        {
            for (var length = Math.Min(marker.Length - 1, text.Length); length > longest; length--)
            {
                if (text.AsSpan(text.Length - length).SequenceEqual(marker.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    }

    private static (int At, string? Which) FirstOf(string text, IReadOnlyList<string> markers)
    {
        var best = (At: -1, Which: (string?)null);
        foreach (var marker in markers)
        {
            var at = text.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0 && (best.At < 0 || at < best.At))
                best = (at, marker);
        }
        return best;
    }
}
