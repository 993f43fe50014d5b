using Kefu.Data.Records;
using Kefu.Text;

namespace Kefu.Data.Reading;

/// <summary>What a format reader makes of one record before categories and ids are settled.</summary>
internal sealed record ParsedRecord(int Line, IReadOnlyList<ChatTurn> Turns, IReadOnlyList<ToolDefinition> Tools)
{
    public string? Id { get; init; }

    public DataCategory? Category { get; init; }
}
