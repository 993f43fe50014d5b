namespace Kefu.Service.Dialogue;

/// <summary>A knowledge source cited by a reply.</summary>
/// <param name="Source">The file (name) the chunk came from.</param>
/// <param name="Anchor">The FAQ id or section number in that file.</param>
/// <param name="Title">The heading path or FAQ question.</param>
/// <param name="Confidence">How well the chunk matched the question (0–1).</param>
public sealed record SourceCitation(string Source, string Anchor, string Title, double Confidence);
