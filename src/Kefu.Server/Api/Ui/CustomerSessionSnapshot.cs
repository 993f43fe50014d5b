using Kefu.Service.Dialogue;

namespace Kefu.Server.Api.Ui;

/// <summary>A followed conversation as last read from the store: null when it no longer exists.</summary>
internal sealed record CustomerSessionSnapshot(Session? Session, int QueuePosition)
{
    /// <summary>What makes two reads different for the customer (new messages, state, agent, place in line).</summary>
    public string Signature() => Session is { } s
        ? $"{s.MessageCount}:{s.State}:{s.AssignedAgent}:{QueuePosition}:{s.UpdatedAt.UtcTicks}"
        : "gone";
}
