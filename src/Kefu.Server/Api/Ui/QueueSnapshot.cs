using Kefu.Service.Dialogue;

namespace Kefu.Server.Api.Ui;

/// <summary>The agent queue at a moment: conversations waiting (with their place in line) and those agents have.</summary>
internal sealed record QueueSnapshot(DateTimeOffset At, int Waiting, IReadOnlyList<QueueItem> Items)
{
    /// <summary>What makes two snapshots different (not the clock, not the growing wait times).</summary>
    public string Signature() => string.Join('|', Items.Select(i => $"{i.SessionId}:{i.State}:{i.Position}:{i.AssignedAgent}:{i.UpdatedAt.UtcTicks}"));
}

/// <summary>A conversation in the queue feed.</summary>
internal sealed record QueueItem(
    string SessionId, SessionState State, int Position, string? HandoffReason, string? AssignedAgent, DateTimeOffset? QueuedAt,
    double WaitedSeconds, string Preview, DateTimeOffset UpdatedAt);
