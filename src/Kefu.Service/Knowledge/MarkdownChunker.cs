using System.Text;
using System.Text.RegularExpressions;

namespace Kefu.Service.Knowledge;

/// <summary>
/// Splits a Markdown document at its headings. Each section becomes a chunk titled with its heading path
/// ("退换货政策 > 7天无理由退货"), so a chunk read alone still says what it is about; a section longer than
/// <see cref="MaxChunkCharacters"/> is cut at paragraph boundaries and every part keeps the path.
/// </summary>
internal sealed partial class MarkdownChunker
{
    /// <summary>Sections longer than this are split between paragraphs (about a screen of Chinese text).</summary>
    public int MaxChunkCharacters { get; init; } = 600;

    public List<KnowledgeChunk> Chunk(string markdown, string fallbackTitle)
    {
        var chunks = new List<KnowledgeChunk>();
        var path = new List<(int Level, string Title)>();
        var body = new StringBuilder();
        var inFence = false;
        var section = 0;

        void Flush()
        {
            var text = body.ToString().Trim();
            body.Clear();
            if (text.Length == 0)
                return;
            section++;
            var title = path.Count == 0 ? fallbackTitle : string.Join(" > ", path.Select(p => p.Title));
            var parts = SplitLongText(text);
            for (var i = 0; i < parts.Count; i++)
            {
                var anchor = parts.Count == 1 ? $"§{section}" : $"§{section}.{i + 1}";
                chunks.Add(new KnowledgeChunk(anchor, title, parts[i], KnowledgeChunkKind.Section));
            }
        }

        foreach (var rawLine in markdown.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = rawLine.TrimEnd();
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal) || line.TrimStart().StartsWith("~~~", StringComparison.Ordinal))
                inFence = !inFence;
            var heading = inFence ? null : HeadingPattern().Match(line);
            if (heading is { Success: true })
            {
                Flush();
                var level = heading.Groups[1].Length;
                path.RemoveAll(p => p.Level >= level);
                path.Add((level, heading.Groups[2].Value.Trim()));
                continue;
            }
            body.Append(line).Append('\n');
        }
        Flush();
        return chunks;
    }

    private List<string> SplitLongText(string text)
    {
        if (text.Length <= MaxChunkCharacters)
            return [text];
        var parts = new List<string>();
        var current = new StringBuilder();
        foreach (var paragraph in ParagraphBreak().Split(text))
        {
            var piece = paragraph.Trim();
            if (piece.Length == 0)
                continue;
            if (current.Length > 0 && current.Length + piece.Length + 2 > MaxChunkCharacters)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            // A single paragraph longer than the limit is cut at sentence ends rather than kept whole, so no chunk
            // dwarfs the others in BM25's length normalisation.
            foreach (var sentencePiece in piece.Length > MaxChunkCharacters ? SplitAtSentences(piece) : [piece])
            {
                if (current.Length > 0 && current.Length + sentencePiece.Length + 2 > MaxChunkCharacters)
                {
                    parts.Add(current.ToString());
                    current.Clear();
                }
                if (current.Length > 0)
                    current.Append("\n\n");
                current.Append(sentencePiece);
            }
        }
        if (current.Length > 0)
            parts.Add(current.ToString());
        return parts;
    }

    private List<string> SplitAtSentences(string paragraph)
    {
        var pieces = new List<string>();
        var current = new StringBuilder();
        foreach (var sentence in SentenceEnd().Split(paragraph))
        {
            if (current.Length > 0 && current.Length + sentence.Length > MaxChunkCharacters)
            {
                pieces.Add(current.ToString());
                current.Clear();
            }
            current.Append(sentence);
        }
        if (current.Length > 0)
            pieces.Add(current.ToString());
        return pieces;
    }

    [GeneratedRegex(@"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex ParagraphBreak();

    // Splits after a sentence-ending mark, keeping the mark with its sentence.
    [GeneratedRegex(@"(?<=[。！？!?；;\n])")]
    private static partial Regex SentenceEnd();
}
