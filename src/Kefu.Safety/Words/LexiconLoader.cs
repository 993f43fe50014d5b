using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Kefu.Safety.Words;

/// <summary>
/// Reads a lexicon from a JSON manifest and plain word lists. The manifest names each category, its severity, its
/// action (or separate <c>inputAction</c>/<c>outputAction</c>) and its files; word files hold one word per line,
/// with blank lines and lines starting with <c>#</c> ignored. Paths are relative to the manifest's folder.
/// </summary>
/// <example>
/// <code>
/// {
///   "categories": [
///     { "name": "abuse", "severity": 4, "action": "block", "files": ["abuse.txt"] },
///     { "name": "contact_bait", "severity": 2, "inputAction": "flag", "outputAction": "block", "files": ["contact-bait.txt"] }
///   ],
///   "whitelist": ["whitelist.txt"]
/// }
/// </code>
/// </example>
public static class LexiconLoader
{
    /// <summary>Loads the manifest at <paramref name="manifestPath"/> and every file it names.</summary>
    /// <exception cref="LexiconFormatException">The manifest or a word file is missing or malformed.</exception>
    public static Lexicon Load(string manifestPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(manifestPath);
        var fullPath = Path.GetFullPath(manifestPath);
        var manifestBytes = ReadBytes(fullPath, "manifest");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(manifestBytes);

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(manifestBytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new LexiconFormatException($"{fullPath}: not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new LexiconFormatException($"{fullPath}: the manifest must be a JSON object with 'categories' and 'whitelist'.");
            var folder = Path.GetDirectoryName(fullPath)!;
            var builder = new LexiconBuilder();

            if (!root.TryGetProperty("categories", out var categories) || categories.ValueKind != JsonValueKind.Array)
                throw new LexiconFormatException($"{fullPath}: field 'categories' must be an array.");
            var index = 0;
            foreach (var element in categories.EnumerateArray())
            {
                var where = $"{fullPath}: categories[{index++}]";
                var category = ReadCategory(element, where);
                foreach (var file in ReadFileList(element, "files", where, required: true))
                    builder.Add(category, ReadWords(Path.Combine(folder, file), where, hash));
            }

            if (root.TryGetProperty("whitelist", out _))
            {
                foreach (var file in ReadFileList(root, "whitelist", fullPath, required: false))
                    builder.AddWhitelist(ReadWords(Path.Combine(folder, file), $"{fullPath}: whitelist", hash));
            }
            return builder.Build(Convert.ToHexString(hash.GetHashAndReset()));
        }
    }

    private static WordCategory ReadCategory(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new LexiconFormatException($"{where}: must be an object.");
        var name = ReadString(element, "name", where) ?? throw new LexiconFormatException($"{where}: field 'name' is required.");
        where = $"{where} ('{name}')";
        if (!element.TryGetProperty("severity", out var severityElement) || !severityElement.TryGetInt32(out var severity)
            || severity is < WordCategory.MinSeverity or > WordCategory.MaxSeverity)
            throw new LexiconFormatException($"{where}: field 'severity' must be an integer {WordCategory.MinSeverity}..{WordCategory.MaxSeverity}.");
        var action = ReadAction(element, "action", where);
        var input = ReadAction(element, "inputAction", where) ?? action;
        var output = ReadAction(element, "outputAction", where) ?? action;
        if (input is null || output is null)
            throw new LexiconFormatException($"{where}: give 'action', or both 'inputAction' and 'outputAction' (flag, mask or block).");
        return new WordCategory(name, severity, input.Value, output.Value);
    }

    private static SafetyAction? ReadAction(JsonElement element, string field, string where) => ReadString(element, field, where) switch
    {
        null => null,
        "flag" => SafetyAction.Flag,
        "mask" => SafetyAction.Mask,
        "block" => SafetyAction.Block,
        var other => throw new LexiconFormatException($"{where}: field '{field}' is '{other}'; expected flag, mask or block."),
    };

    private static string? ReadString(JsonElement element, string field, string where)
    {
        if (!element.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            throw new LexiconFormatException($"{where}: field '{field}' must be a non-empty string.");
        return value.GetString()!;
    }

    private static List<string> ReadFileList(JsonElement element, string field, string where, bool required)
    {
        if (!element.TryGetProperty(field, out var value))
            return required ? throw new LexiconFormatException($"{where}: field '{field}' is required.") : [];
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0 && required)
            throw new LexiconFormatException($"{where}: field '{field}' must be a non-empty array of file paths.");
        var files = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
                throw new LexiconFormatException($"{where}: field '{field}' must hold file paths (strings).");
            files.Add(item.GetString()!);
        }
        return files;
    }

    private static List<LexiconWord> ReadWords(string path, string namedIn, IncrementalHash hash)
    {
        var bytes = ReadBytes(path, $"word list named in {namedIn}");
        hash.AppendData(Encoding.UTF8.GetBytes(path));
        hash.AppendData(bytes);
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new LexiconFormatException($"{path}: not valid UTF-8 (byte {e.Index}).", e);
        }
        var words = new List<LexiconWord>();
        var lines = text.TrimStart('\uFEFF').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            words.Add(new LexiconWord(line, $"{path}:{i + 1}"));
        }
        return words;
    }

    private static byte[] ReadBytes(string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LexiconFormatException($"{path}: cannot read the {what}: {e.Message}", e);
        }
    }
}
