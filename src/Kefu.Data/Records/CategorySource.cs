namespace Kefu.Data.Records;

/// <summary>How a record got its <see cref="DataCategory"/>; reports count records per source.</summary>
public enum CategorySource
{
    /// <summary>The record's own <c>category</c> field or CSV column.</summary>
    Field,

    /// <summary>The per-file default in <c>kefu-data.json</c>.</summary>
    Manifest,

    /// <summary>Inferred from the content (turn count, tool calls, keywords).</summary>
    Inferred,
}
