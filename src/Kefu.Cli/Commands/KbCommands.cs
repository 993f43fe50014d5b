using System.CommandLine;
using System.Globalization;
using Kefu.Service.Knowledge;

namespace Kefu.Cli.Commands;

/// <summary>
/// <c>kefu kb import PATH... [--data-dir DIR]</c>: Markdown, FAQ CSV and JSONL into the knowledge base, while a
/// server using the same data folder keeps running (it sees the change at its next search);
/// <c>kefu kb search QUERY</c>: what the assistant would find, with confidences.
/// </summary>
internal static class KbCommands
{
    public static Command Create()
    {
        var kb = new Command("kb", "Manage the knowledge base the assistant answers from");
        kb.Subcommands.Add(Import());
        kb.Subcommands.Add(Search());
        return kb;
    }

    private static Option<string?> DataDirectory() =>
        new("--data-dir") { Description = $"Folder holding knowledge.db (default {ServeCommand.DefaultDataDirectory()})" };

    private static Command Import()
    {
        var paths = new Argument<string[]>("paths") { Description = "Files (.md, .csv, .jsonl) or folders", Arity = ArgumentArity.OneOrMore };
        var dataDir = DataDirectory();
        var command = new Command("import", "Import knowledge files; a changed file replaces its old chunks, an unchanged one is skipped") { paths, dataDir };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var knowledgeBase = Open(parseResult.GetValue(dataDir));
            try
            {
                var report = await new KnowledgeImporter(knowledgeBase).ImportAsync(parseResult.GetRequiredValue(paths), cancellationToken).ConfigureAwait(false);
                foreach (var file in report.Imported)
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"imported  {file.Path}  ({file.Chunks} chunks)")).ConfigureAwait(false);
                foreach (var file in report.Unchanged)
                    await output.WriteLineAsync($"unchanged {file}").ConfigureAwait(false);
                var stats = await knowledgeBase.GetStatsAsync(cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"knowledge base: {stats.Sources} files, {stats.Chunks} chunks")).ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is KnowledgeFormatException or FileNotFoundException)
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
        var limit = new Option<int>("--limit") { Description = "How many chunks to show", DefaultValueFactory = _ => 3 };
        var command = new Command("search", "Show the chunks a question finds, with their confidence (0–1)") { query, dataDir, limit };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var hits = await Open(parseResult.GetValue(dataDir)).SearchAsync(parseResult.GetRequiredValue(query), parseResult.GetValue(limit), cancellationToken).ConfigureAwait(false);
            if (hits.Count == 0)
                await output.WriteLineAsync("no match").ConfigureAwait(false);
            foreach (var hit in hits)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{hit.Confidence:F2}  {hit.Source} {hit.Anchor}  {hit.Title}\n      {Shorten(hit.Text)}")).ConfigureAwait(false);
            }
            return 0;
        });
        return command;
    }

    private static SqliteKnowledgeBase Open(string? dataDirectory) =>
        SqliteKnowledgeBase.Open(Path.Combine(dataDirectory ?? ServeCommand.DefaultDataDirectory(), "knowledge.db"));

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 80 ? line : line[..80] + "…";
    }
}
