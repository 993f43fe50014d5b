namespace Kefu.Storage.Postgres;

/// <summary>
/// PostgreSQL text and jsonb cannot hold U+0000 (SQLite can): a customer message, a session id in a URL or an
/// imported file containing one would fail the whole statement with a 500. Such characters are stored as U+FFFD
/// (the replacement character) instead, the one place the stores differ.
/// </summary>
internal static class PostgresText
{
    public static string Clean(string text) => text.Contains('\0', StringComparison.Ordinal) ? text.Replace('\0', '\uFFFD') : text;

    public static string? CleanOrNull(string? text) => text is null ? null : Clean(text);

    /// <summary>A parameter value: strings cleaned, anything else as it is.</summary>
    public static object Value(object value) => value is string text ? Clean(text) : value;
}
