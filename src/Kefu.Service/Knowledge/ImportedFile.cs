namespace Kefu.Service.Knowledge;

/// <summary>A file imported into the knowledge base and the number of chunks it produced.</summary>
public sealed record ImportedFile(string Path, int Chunks);
