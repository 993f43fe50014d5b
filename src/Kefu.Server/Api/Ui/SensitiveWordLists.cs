using System.Text;
using System.Text.Json;
using Kefu.Safety.Words;
using Kefu.Service;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Api.Ui;

/// <summary>
/// The sensitive-word lists as the dashboard shows and extends them: the lexicon manifest's categories with their
/// words, and adding a word to a category's first word file (written atomically). The running filter picks the
/// change up at once (when it reloads from the manifest) instead of at its next poll.
/// </summary>
internal sealed class SensitiveWordLists(IOptions<KefuServiceOptions> service, IWordMatcherSource matcher)
{
    private static readonly Lock WriteGate = new();

    /// <summary>The manifest in use; null when the service runs on the built-in lists (nothing to edit).</summary>
    public string? ManifestPath => service.Value.Guardrails.LexiconPath is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    public IReadOnlyList<WordListView> Read()
    {
        if (ManifestPath is not { } manifest)
            return [];
        var lexicon = LexiconLoader.Load(manifest);
        return [.. lexicon.Categories.Select(c => new WordListView(c.Category.Name, c.Category.Severity,
            c.Category.InputAction.ToString().ToLowerInvariant(), c.Category.OutputAction.ToString().ToLowerInvariant(),
            [.. c.Words.Select(w => w.Text)]))];
    }

    /// <summary>Adds <paramref name="word"/> to <paramref name="category"/>; false when it is already listed there.</summary>
    /// <exception cref="ArgumentException">No lexicon, an unknown category, or a word that is empty, too long or multi-line.</exception>
    public bool Add(string category, string word)
    {
        var manifest = ManifestPath ?? throw new ArgumentException("The service uses its built-in word lists; configure a lexicon manifest (--lexicon) to edit them.");
        word = word.Trim();
        if (word.Length is 0 or > 50 || word.Contains('\n', StringComparison.Ordinal) || word.Contains('\r', StringComparison.Ordinal) || word.StartsWith('#'))
            throw new ArgumentException("A word is 1–50 characters on one line and does not start with '#'.");
        lock (WriteGate)
        {
            var file = FirstFile(manifest, category) ?? throw new ArgumentException($"There is no category '{category}' in {Path.GetFileName(manifest)}.");
            var lines = File.Exists(file) ? File.ReadAllLines(file, Encoding.UTF8) : [];
            if (lines.Any(l => string.Equals(l.Trim(), word, StringComparison.Ordinal)))
                return false;
            var text = string.Join('\n', lines.Append(word)) + "\n";
            var temp = file + ".tmp";
            File.WriteAllText(temp, text, new UTF8Encoding(false));
            File.Move(temp, file, overwrite: true);
        }
        if (matcher is LexiconReloader reloader)
            reloader.ReloadIfChanged();
        return true;
    }

    /// <summary>The first word file of the category, resolved against the manifest's folder.</summary>
    private static string? FirstFile(string manifest, string category)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(manifest), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        foreach (var entry in json.RootElement.GetProperty("categories").EnumerateArray())
        {
            if (entry.TryGetProperty("name", out var name) && name.GetString() == category
                && entry.TryGetProperty("files", out var files) && files.GetArrayLength() > 0)
                return Path.Combine(Path.GetDirectoryName(manifest)!, files[0].GetString()!);
        }
        return null;
    }
}

/// <summary>A word category as the dashboard lists it.</summary>
internal sealed record WordListView(string Name, int Severity, string InputAction, string OutputAction, IReadOnlyList<string> Words);
