using System.Text.Json;

namespace Kefu.Server.Auth;

/// <summary>
/// Reads agent accounts from a JSON file: <c>[{"name": "wang", "display_name": "客服小王", "password_hash": "…",
/// "admin": false}]</c>. Hashes come from <c>kefu agents hash-password</c>, so the file never holds a password.
/// </summary>
public static class AgentAccountsFile
{
    /// <summary>The accounts in the file; a clear error naming file, entry and field when it is malformed.</summary>
    public static List<AgentAccount> Load(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{(e.LineNumber ?? 0) + 1}: not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{path}: expected a JSON array of accounts.");
            var accounts = new List<AgentAccount>();
            var index = 0;
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                var where = $"{path}: [{index++}]";
                var name = Required(entry, "name", where);
                var hash = Required(entry, "password_hash", where);
                var display = entry.TryGetProperty("display_name", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : name;
                var admin = entry.TryGetProperty("admin", out var a) && a.ValueKind == JsonValueKind.True;
                if (accounts.Any(x => string.Equals(x.Name, name, StringComparison.Ordinal)))
                    throw new InvalidDataException($"{where}: field 'name': account '{name}' is listed twice.");
                accounts.Add(new AgentAccount(name, display, hash, admin));
            }
            return accounts;
        }
    }

    private static string Required(JsonElement entry, string field, string where) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
            && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!
            : throw new InvalidDataException($"{where}: field '{field}' is required (a non-empty string).");
}
