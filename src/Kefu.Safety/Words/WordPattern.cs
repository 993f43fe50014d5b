namespace Kefu.Safety.Words;

/// <summary>
/// One pattern in the automaton: a listed word (or whitelist phrase) in normalised form, what it belongs to, and
/// whether its ends must sit on a word boundary. Latin words need one: "sb" must not fire inside "it's big", "cao"
/// not inside "Macao"; Chinese has no spaces, so Chinese words match anywhere.
/// </summary>
/// <param name="Normalized">The word after width/case folding with separators removed: what the automaton matches.</param>
/// <param name="Word">The word as listed.</param>
/// <param name="CategoryIndex">Index into the matcher's categories, or <see cref="Whitelist"/>.</param>
internal sealed record WordPattern(string Normalized, string Word, int CategoryIndex)
{
    public const int Whitelist = -1;

    public bool IsWhitelist => CategoryIndex == Whitelist;
    public int Length => Normalized.Length;
    public bool NeedsLeadingBoundary { get; } = char.IsAsciiLetterOrDigit(Normalized[0]);
    public bool NeedsTrailingBoundary { get; } = char.IsAsciiLetterOrDigit(Normalized[^1]);
}
