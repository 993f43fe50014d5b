using System.Security.Cryptography;

namespace Kefu.Service.Knowledge;

/// <summary>
/// Imports Markdown documents and FAQ files (CSV, JSONL) into a knowledge base. A file whose content has not
/// changed since its last import is skipped; a changed file replaces its old chunks atomically.
/// </summary>
public sealed class KnowledgeImporter(IKnowledgeBase knowledgeBase)
{
    private static readonly string[] SupportedExtensions = [".md", ".markdown", ".csv", ".jsonl"];
    private readonly MarkdownChunker _markdown = new();

    /// <summary>Imports files and folders (recursively, supported files only). Throws <see cref="KnowledgeFormatException"/> on bad content.</summary>
    public async Task<KnowledgeImportReport> ImportAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var report = new KnowledgeImportReport();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(IsSupported)
                    .Order(StringComparer.Ordinal);
                foreach (var file in files)
                    await ImportFileAsync(file, report, cancellationToken).ConfigureAwait(false);
            }
            else if (File.Exists(path))
            {
                if (!IsSupported(path))
                    throw new KnowledgeFormatException(path, 0, null, $"unsupported file type (expected {string.Join(", ", SupportedExtensions)})");
                await ImportFileAsync(path, report, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                throw new FileNotFoundException($"No such file or folder: {path}", path);
            }
        }
        report.Embedded = await knowledgeBase.EmbedMissingAsync(cancellationToken).ConfigureAwait(false);
        return report;
    }

    /// <summary>Whether a file's extension is one the importer reads.</summary>
    public static bool IsSupported(string path) =>
        SupportedExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    private async Task ImportFileAsync(string path, KnowledgeImportReport report, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        var bytes = await File.ReadAllBytesAsync(fullPath, cancellationToken).ConfigureAwait(false);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (await knowledgeBase.GetSourceHashAsync(fullPath, cancellationToken).ConfigureAwait(false) == hash)
        {
            report.Unchanged.Add(fullPath);
            return;
        }
        var text = new StreamReader(new MemoryStream(bytes), detectEncodingFromByteOrderMarks: true).ReadToEnd();
        var fileName = Path.GetFileName(fullPath);
        var chunks = Path.GetExtension(fullPath).ToLowerInvariant() switch
        {
            ".csv" => FaqFileReader.ReadCsv(text, fullPath),
            ".jsonl" => FaqFileReader.ReadJsonLines(text, fullPath),
            _ => _markdown.Chunk(text, Path.GetFileNameWithoutExtension(fullPath)),
        };
        await knowledgeBase.ReplaceSourceAsync(new KnowledgeSource(fullPath, fileName, hash), chunks, cancellationToken).ConfigureAwait(false);
        report.Imported.Add(new ImportedFile(fullPath, chunks.Count));
    }
}
