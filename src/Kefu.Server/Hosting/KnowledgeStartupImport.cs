using Kefu.Service.Knowledge;

namespace Kefu.Server.Hosting;

/// <summary>
/// Imports the configured knowledge paths before the server starts listening (hosted services start first), so
/// the first customer is answered from the current files. Unchanged files are skipped by content hash.
/// </summary>
internal sealed partial class KnowledgeStartupImport(KnowledgeImporter importer, KefuServerOptions options, ILogger<KnowledgeStartupImport> logger)
    : IHostedService
{
    public bool Completed { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.KnowledgePaths.Count > 0)
        {
            var report = await importer.ImportAsync(options.KnowledgePaths, cancellationToken).ConfigureAwait(false);
            var chunks = report.Imported.Sum(f => f.Chunks);
            LogImported(report.Imported.Count, chunks, report.Unchanged.Count, report.Embedded);
        }
        Completed = true;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge: imported {Files} files ({Chunks} chunks), {Unchanged} unchanged, {Embedded} chunks given missing embeddings")]
    private partial void LogImported(int files, int chunks, int unchanged, int embedded);
}
