namespace Kefu.Text.Tokenization;

/// <summary>
/// Reads merges.txt: an optional <c>#version</c> line, then one merge per line, "left right", in rank order.
/// As Hugging Face tokenizers does, every merge's two parts and their concatenation must be vocabulary tokens.
/// </summary>
internal static class MergesFile
{
    public static List<string> Read(string path, IReadOnlyDictionary<string, int> vocabulary)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new TokenizerLoadException(path, null, "merges.txt is missing (a Qwen2 model folder carries vocab.json and merges.txt).", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TokenizerLoadException(path, null, $"cannot read the file: {e.Message}", e);
        }

        var lastContentLine = lines.Length;
        while (lastContentLine > 0 && lines[lastContentLine - 1].Length == 0)
            lastContentLine--;

        var merges = new List<string>(lastContentLine);
        for (var index = 0; index < lastContentLine; index++)
        {
            var line = lines[index];
            var lineNumber = index + 1;
            if (index == 0 && line.Length > 0 && line[0] == '\uFEFF')
                line = line[1..];
            if (line.StartsWith("#version", StringComparison.Ordinal))
                continue;

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0 || space == line.Length - 1 || line.IndexOf(' ', space + 1) >= 0)
                throw new TokenizerLoadException(path, lineNumber, $"expected two tokens separated by one space, found {VocabularyFile.Quote(line)}.");

            var left = line[..space];
            var right = line[(space + 1)..];
            foreach (var part in new[] { left, right, left + right })
            {
                if (!vocabulary.ContainsKey(part))
                    throw new TokenizerLoadException(path, lineNumber, $"merge {VocabularyFile.Quote(line)} uses {VocabularyFile.Quote(part)}, which vocab.json lacks (do merges.txt and vocab.json come from the same model?).");
            }
            merges.Add(line);
        }
        if (merges.Count == 0)
            throw new TokenizerLoadException(path, null, "there are no merges in the file.");
        return merges;
    }
}
