using Kefu.Safety.Pii;
using Kefu.Server.Auth;
using Kefu.Server.Hosting;
using Kefu.Service;
using Kefu.Service.Knowledge;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Api.Ui;

/// <summary>
/// The dashboard's data, for admins: <c>GET /api/dashboard/summary?window=1h|24h|7d</c> (latency, resolution,
/// hand-off and tool success rates, satisfaction, per time bucket), <c>GET /api/dashboard/unanswered</c> (the
/// questions the bot missed most, personal data masked), the knowledge base (<c>GET .../knowledge</c> stats,
/// <c>POST .../knowledge/files?name=F.md</c> with the file as the body, <c>GET .../knowledge/search?q=</c>) and the
/// sensitive-word lists (<c>GET .../words</c>, <c>POST .../words {category, word}</c>).
/// </summary>
internal static class DashboardApi
{
    private const int MaxTurns = 200_000;
    private const long MaxKnowledgeFileBytes = 2 * 1024 * 1024;

    public static void MapDashboardApi(this IEndpointRouteBuilder endpoints)
    {
        var dashboard = endpoints.MapGroup("/api/dashboard")
            .RequireAuthorization(AgentSignIn.AdminPolicy)
            .RequireRateLimiting(ServerBuilderExtensions.RateLimitPolicy);
        dashboard.MapGet("/summary", SummaryAsync);
        dashboard.MapGet("/unanswered", UnansweredAsync);
        dashboard.MapGet("/knowledge", async (IKnowledgeBase knowledge, CancellationToken ct) =>
            TypedResults.Ok(await knowledge.GetStatsAsync(ct).ConfigureAwait(false)));
        dashboard.MapPost("/knowledge/files", UploadAsync);
        dashboard.MapGet("/knowledge/search", SearchAsync);
        dashboard.MapGet("/words", (SensitiveWordLists words) => TypedResults.Ok(new WordListsView(words.ManifestPath is not null, words.Read())));
        dashboard.MapPost("/words", AddWord);
    }

    private static async Task<Results<Ok<DashboardSummary>, ValidationProblem>> SummaryAsync(
        string? window, IDeskStore desk, TimeProvider time, CancellationToken cancellationToken)
    {
        window ??= "1h";
        if (!DeskAnalytics.Windows.TryGetValue(window, out var span))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["window"] = ["Use 1h, 24h or 7d."] });
        var now = time.GetUtcNow();
        var turns = await desk.TurnsAsync(now - span.Length, MaxTurns, cancellationToken).ConfigureAwait(false);
        var ratings = await desk.RatingsAsync(now - span.Length, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(DeskAnalytics.Summarize(window, now, turns, ratings));
    }

    private static async Task<Results<Ok<List<UnansweredQuestion>>, ValidationProblem>> UnansweredAsync(
        string? window, int? limit, IDeskStore desk, TimeProvider time, CancellationToken cancellationToken)
    {
        window ??= "24h";
        if (!DeskAnalytics.Windows.TryGetValue(window, out var span))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["window"] = ["Use 1h, 24h or 7d."] });
        var turns = await desk.UnansweredAsync(time.GetUtcNow() - span.Length, 5000, cancellationToken).ConfigureAwait(false);
        // Customer messages are stored as typed; the dashboard is not the place to read phone numbers.
        var masked = turns.Select(t => t with { Question = PiiScanner.Default.Mask(t.Question) }).ToList();
        return TypedResults.Ok(DeskAnalytics.TopUnanswered(masked, Math.Clamp(limit ?? 10, 1, 100)).ToList());
    }

    /// <summary>
    /// Saves the uploaded file under the data directory's uploads folder (temp file, then rename) and imports it; the
    /// knowledge importer parses it and reports bad lines by file and line.
    /// </summary>
    private static async Task<Results<Ok<KnowledgeImportReport>, ValidationProblem>> UploadAsync(
        string? name, HttpContext http, KnowledgeImporter importer, IOptions<KefuServiceOptions> service, CancellationToken cancellationToken)
    {
        var fileName = Path.GetFileName(name ?? "");
        if (fileName.Length == 0 || fileName != name || !(fileName.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["Give the file's name, ending in .md or .csv (no folders)."] });
        // Knowledge files are larger than chat messages: lift the server's small body limit for this request only.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxKnowledgeFileBytes;
        var folder = Path.Combine(service.Value.DataDirectory, "uploads");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, fileName);
        var temp = Path.Combine(folder, "." + fileName + ".upload");
        try
        {
            await using (var file = File.Create(temp))
                await http.Request.Body.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            if (new FileInfo(temp).Length == 0)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["The file is empty."] });
            File.Move(temp, path, overwrite: true);
        }
        catch (BadHttpRequestException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [$"{fileName}: {e.Message}"] });
        }
        finally
        {
            File.Delete(temp);
        }
        try
        {
            return TypedResults.Ok(await importer.ImportAsync([path], cancellationToken).ConfigureAwait(false));
        }
        catch (KnowledgeFormatException e)
        {
            File.Delete(path);
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [e.Message] });
        }
    }

    private static async Task<Results<Ok<List<KnowledgeSuggestion>>, ValidationProblem>> SearchAsync(
        string? q, IKnowledgeBase knowledge, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(q))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["q"] = ["Give a question to search for."] });
        var hits = await knowledge.SearchAsync(q, 5, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(hits.Select(h => KnowledgeSuggestion.From(h, q)).ToList());
    }

    private static Results<Ok<WordAdded>, ValidationProblem> AddWord(NewWord body, SensitiveWordLists words)
    {
        try
        {
            var added = words.Add(body.Category ?? "", body.Word ?? "");
            return TypedResults.Ok(new WordAdded(body.Category!, body.Word!.Trim(), added));
        }
        catch (ArgumentException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["word"] = [e.Message] });
        }
    }
}

/// <summary>The word lists, and whether they can be edited (a manifest is configured).</summary>
internal sealed record WordListsView(bool Editable, IReadOnlyList<WordListView> Categories);

/// <summary>Body of <c>POST /api/dashboard/words</c>.</summary>
internal sealed record NewWord(string? Category, string? Word);

/// <summary>Answer of <c>POST /api/dashboard/words</c>: false in <see cref="Added"/> when the word was already listed.</summary>
internal sealed record WordAdded(string Category, string Word, bool Added);
