namespace Kefu.Safety.Words;

/// <summary>Collects categories, words and whitelist phrases into a <see cref="Lexicon"/>.</summary>
public sealed class LexiconBuilder
{
    private readonly List<LexiconCategory> _categories = [];
    private readonly List<LexiconWord> _whitelist = [];

    /// <summary>Adds a category with its words; a category added twice by name gets the words of both calls.</summary>
    public LexiconBuilder Add(WordCategory category, IEnumerable<string> words, string origin = "code")
    {
        ArgumentNullException.ThrowIfNull(category);
        ArgumentNullException.ThrowIfNull(words);
        return Add(category, words.Select((w, i) => new LexiconWord(w, $"{origin}:{i + 1}")));
    }

    /// <summary>Adds a category with words that already carry their origin.</summary>
    public LexiconBuilder Add(WordCategory category, IEnumerable<LexiconWord> words)
    {
        ArgumentNullException.ThrowIfNull(category);
        ArgumentNullException.ThrowIfNull(words);
        ValidateCategory(category);
        var index = _categories.FindIndex(c => c.Category.Name == category.Name);
        if (index >= 0)
        {
            if (_categories[index].Category != category)
                throw new ArgumentException($"Category '{category.Name}' was added twice with different settings.", nameof(category));
            _categories[index] = _categories[index] with { Words = [.. _categories[index].Words, .. words] };
        }
        else
        {
            _categories.Add(new LexiconCategory(category, [.. words]));
        }
        return this;
    }

    /// <summary>Adds whitelist phrases.</summary>
    public LexiconBuilder AddWhitelist(IEnumerable<string> phrases, string origin = "code")
    {
        ArgumentNullException.ThrowIfNull(phrases);
        return AddWhitelist(phrases.Select((w, i) => new LexiconWord(w, $"{origin}:{i + 1}")));
    }

    /// <summary>Adds whitelist phrases that already carry their origin.</summary>
    public LexiconBuilder AddWhitelist(IEnumerable<LexiconWord> phrases)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        _whitelist.AddRange(phrases);
        return this;
    }

    /// <summary>The lexicon collected so far.</summary>
    public Lexicon Build(string contentHash = "") => new([.. _categories], [.. _whitelist], contentHash);

    private static void ValidateCategory(WordCategory category)
    {
        if (string.IsNullOrWhiteSpace(category.Name))
            throw new ArgumentException("A category needs a name.", nameof(category));
        if (category.Severity is < WordCategory.MinSeverity or > WordCategory.MaxSeverity)
            throw new ArgumentException(
                $"Category '{category.Name}': severity {category.Severity} is outside {WordCategory.MinSeverity}..{WordCategory.MaxSeverity}.", nameof(category));
        if (category.InputAction == SafetyAction.Allow || category.OutputAction == SafetyAction.Allow)
            throw new ArgumentException($"Category '{category.Name}': the action must be flag, mask or block.", nameof(category));
    }
}
