namespace Kefu.Service.Knowledge;

/// <summary>What an import did: files (re)imported with their chunk counts, and files skipped as unchanged.</summary>
public sealed class KnowledgeImportReport
{
    public List<ImportedFile> Imported { get; } = [];

    public List<string> Unchanged { get; } = [];

    /// <summary>Chunks given their missing embeddings after the import (see <see cref="IKnowledgeBase.EmbedMissingAsync"/>).</summary>
    public int Embedded { get; set; }
}
