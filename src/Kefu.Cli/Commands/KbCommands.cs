using System.CommandLine;
using System.Globalization;
using Kefu.Service.Embeddings;
using Kefu.Service.Knowledge;
using Kefu.Storage.Postgres;

namespace Kefu.Cli.Commands;

/// <summary>
/// <c>kefu kb import PATH... [--data-dir DIR] [--embeddings URL]</c>: Markdown, FAQ CSV and JSONL into the knowledge
/// base, while a server using the same data folder keeps running (it sees the change at its next search);
/// <c>kefu kb search QUERY</c>: what the assistant would find, with confidences. With <c>--embeddings</c>, chunks
/// are embedded at import and search is hybrid (BM25 + embeddings, fused by RRF). With <c>--database</c> (or
/// $KEFU_DATABASE), the knowledge base is the PostgreSQL one that replicas share.
/// </summary>
internal static class KbCommands
{
    public const string CalibrationError = "--embeddings-unrelated and --embeddings-equivalent must lie in [-1, 1], unrelated below equivalent.";

    public static Command Create()
    {
        var kb = new Command("kb", "Manage the knowledge base the assistant answers from");
        kb.Subcommands.Add(Import());
        kb.Subcommands.Add(Search());
        return kb;
    }

    public static Option<Uri?> EmbeddingsUrl() =>
        UrlOption("--embeddings", "OpenAI-compatible /v1/embeddings server for hybrid search, e.g. http://127.0.0.1:8080/v1");

    /// <summary>An option taking an absolute http(s) URL (System.CommandLine 3 has no parser for Uri).</summary>
    public static Option<Uri?> UrlOption(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                return uri;
            result.AddError($"{name}: '{text}' is not an http(s) URL.");
            return null;
        },
    };

    public static Option<string?> EmbeddingsModel() =>
        new("--embeddings-model") { Description = "Embedding model name at --embeddings (default: its first model)" };

    public static Option<double> EmbeddingsUnrelated() => new("--embeddings-unrelated")
    {
        Description = "Cosine of unrelated texts under the embedding model (confidence 0); model-specific",
        DefaultValueFactory = _ => new DenseCalibration().Unrelated,
    };

    public static Option<double> EmbeddingsEquivalent() => new("--embeddings-equivalent")
    {
        Description = "Cosine of a question and the FAQ entry answering it (confidence 1); model-specific",
        DefaultValueFactory = _ => new DenseCalibration().Equivalent,
    };

    /// <summary>The calibration given on the command line; null when it is not a usable one (see <see cref="CalibrationError"/>).</summary>
    public static DenseCalibration? Calibration(ParseResult parseResult, Option<double> unrelated, Option<double> equivalent)
    {
        var calibration = new DenseCalibration { Unrelated = parseResult.GetValue(unrelated), Equivalent = parseResult.GetValue(equivalent) };
        return calibration.Unrelated is < -1 or > 1 || calibration.Equivalent is < -1 or > 1 || calibration.Unrelated >= calibration.Equivalent
            ? null
            : calibration;
    }

    private static Option<string?> DataDirectory() =>
        new("--data-dir") { Description = $"Folder holding knowledge.db (default {ServeCommand.DefaultDataDirectory()})" };

    private static Option<string?> Database() =>
        new("--database") { Description = "PostgreSQL connection string of the servers' shared knowledge base (default: $KEFU_DATABASE, else knowledge.db in --data-dir)" };

    private static Command Import()
    {
        var paths = new Argument<string[]>("paths") { Description = "Files (.md, .csv, .jsonl) or folders", Arity = ArgumentArity.OneOrMore };
        var dataDir = DataDirectory();
        var database = Database();
        var embeddings = EmbeddingsUrl();
        var embeddingsModel = EmbeddingsModel();
        var command = new Command("import", "Import knowledge files; a changed file replaces its old chunks, an unchanged one is skipped")
        {
            paths, dataDir, embeddings, embeddingsModel, database,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            try
            {
                await using var opened = await OpenAsync(parseResult, dataDir, database, embeddings, embeddingsModel, new DenseCalibration(), cancellationToken).ConfigureAwait(false);
                var (knowledgeBase, counters) = (opened.KnowledgeBase, opened.Counters);
                var report = await new KnowledgeImporter(knowledgeBase).ImportAsync(parseResult.GetRequiredValue(paths), cancellationToken).ConfigureAwait(false);
                foreach (var file in report.Imported)
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"imported  {file.Path}  ({file.Chunks} chunks)")).ConfigureAwait(false);
                foreach (var file in report.Unchanged)
                    await output.WriteLineAsync($"unchanged {file}").ConfigureAwait(false);
                var stats = await knowledgeBase.GetStatsAsync(cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"knowledge base: {stats.Sources} files, {stats.Chunks} chunks")).ConfigureAwait(false);
                if (counters.IsHybrid)
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"embeddings: {counters.EmbeddedTexts} chunks embedded, {counters.EmbeddingFailures} failed calls")).ConfigureAwait(false);
                }
                // Chunks left without vectors still answer by BM25, but the user asked for embeddings: say it failed.
                return counters.EmbeddingFailures > 0 ? 3 : 0;
            }
            catch (Exception e) when (e is KnowledgeFormatException or FileNotFoundException or InvalidOperationException or ArgumentException
                or System.Data.Common.DbException)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"kefu: error: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static Command Search()
    {
        var query = new Argument<string>("query") { Description = "A customer's question" };
        var dataDir = DataDirectory();
        var database = Database();
        var limit = new Option<int>("--limit") { Description = "How many chunks to show", DefaultValueFactory = _ => 3 };
        var embeddings = EmbeddingsUrl();
        var embeddingsModel = EmbeddingsModel();
        var unrelated = EmbeddingsUnrelated();
        var equivalent = EmbeddingsEquivalent();
        var command = new Command("search", "Show the chunks a question finds, with their confidence (0–1)")
        {
            query, dataDir, limit, embeddings, embeddingsModel, unrelated, equivalent, database,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            if (Calibration(parseResult, unrelated, equivalent) is not { } calibration)
            {
                await error.WriteLineAsync($"kefu: error: {CalibrationError}").ConfigureAwait(false);
                return 2;
            }
            OpenedKnowledgeBase opened;
            try
            {
                opened = await OpenAsync(parseResult, dataDir, database, embeddings, embeddingsModel, calibration, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.Data.Common.DbException)
            {
                await error.WriteLineAsync($"kefu: error: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            await using var _ = opened;
            var hits = await opened.KnowledgeBase.SearchAsync(parseResult.GetRequiredValue(query), parseResult.GetValue(limit), cancellationToken).ConfigureAwait(false);
            if (opened.Counters.EmbeddingFailures > 0)
                await error.WriteLineAsync("kefu: warning: the embeddings server failed; these are BM25 results alone.").ConfigureAwait(false);
            if (hits.Count == 0)
                await output.WriteLineAsync("no match").ConfigureAwait(false);
            foreach (var hit in hits)
            {
                var cosine = hit.Similarity is { } similarity ? string.Create(CultureInfo.InvariantCulture, $"  (cosine {similarity:F2})") : "";
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{hit.Confidence:F2}  {hit.Source} {hit.Anchor}  {hit.Title}{cosine}\n      {Shorten(hit.Text)}")).ConfigureAwait(false);
            }
            return 0;
        });
        return command;
    }

    private static async Task<OpenedKnowledgeBase> OpenAsync(
        ParseResult parseResult, Option<string?> dataDir, Option<string?> database, Option<Uri?> embeddings, Option<string?> embeddingsModel,
        DenseCalibration calibration, CancellationToken cancellationToken)
    {
        DenseRetrieval? dense = null;
        if (parseResult.GetValue(embeddings) is { } url)
        {
            var source = await OpenAiEmbeddingSource.CreateAsync(url, parseResult.GetValue(embeddingsModel), apiKey: null, cancellationToken).ConfigureAwait(false);
            dense = new DenseRetrieval(source, calibration);
        }
        var connectionString = parseResult.GetValue(database) is { Length: > 0 } given ? given
            : Environment.GetEnvironmentVariable("KEFU_DATABASE") is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        if (connectionString is not null)
        {
            var shared = PostgresDatabase.Open(connectionString);
            var postgres = new PostgresKnowledgeBase(shared, dense: dense);
            return new OpenedKnowledgeBase(postgres, postgres, shared);
        }
        var path = Path.Combine(parseResult.GetValue(dataDir) ?? ServeCommand.DefaultDataDirectory(), "knowledge.db");
        var sqlite = SqliteKnowledgeBase.Open(path, dense: dense);
        return new OpenedKnowledgeBase(sqlite, sqlite, null);
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 80 ? line : line[..80] + "…";
    }
}
