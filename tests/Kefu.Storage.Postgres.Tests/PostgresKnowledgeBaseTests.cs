using System.Text.Json;
using Kefu.Service.Embeddings;
using Kefu.Service.Knowledge;
using Kefu.Storage.Postgres.Tests.Support;
using Kefu.Testing;
using Npgsql;

namespace Kefu.Storage.Postgres.Tests;

public sealed class PostgresKnowledgeBaseTests(SharedPostgresCluster cluster) : IAsyncLifetime
{
    private static readonly string Samples = Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce");
    private readonly TempDirectory _temp = new();
    private readonly List<PostgresDatabase> _opened = [];
    private string _connectionString = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string[] KnowledgePaths => [Path.Combine(Samples, "knowledge"), Path.Combine(Samples, "data", "faq.csv")];

    public async ValueTask InitializeAsync() => _connectionString = await cluster.CreateDatabaseAsync();

    [Fact]
    public async Task Search_DemoRegressionQuestions_RanksAndScoresExactlyAsTheSqliteKnowledgeBase()
    {
        var sqlite = SqliteKnowledgeBase.Open(_temp.File("knowledge.db"));
        await new KnowledgeImporter(sqlite).ImportAsync(KnowledgePaths, Ct);
        var postgres = Open();
        await new KnowledgeImporter(postgres).ImportAsync(KnowledgePaths, Ct);
        var questions = File.ReadLines(Path.Combine(Samples, "regression.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("turns")[0].GetString()!)
            .Concat(["今天天气怎么样", "股票推荐", "ORD12345", "iPhone 15 有货吗"])
            .ToList();

        (await postgres.GetStatsAsync(Ct)).ShouldBe(await sqlite.GetStatsAsync(Ct));
        var compared = 0;
        foreach (var question in questions)
        {
            var expected = await sqlite.SearchAsync(question, 5, Ct);
            var actual = await postgres.SearchAsync(question, 5, Ct);
            actual.Select(h => (h.Source, h.Anchor)).ShouldBe(expected.Select(h => (h.Source, h.Anchor)), $"question: {question}");
            for (var i = 0; i < expected.Count; i++)
            {
                actual[i].Confidence.ShouldBe(expected[i].Confidence, 1e-9, $"question: {question}, hit {i}");
                actual[i].Bm25.ShouldBe(expected[i].Bm25, 1e-6, $"question: {question}, hit {i}");
            }
            compared += expected.Count;
        }
        compared.ShouldBeGreaterThan(questions.Count * 3);
    }

    [Fact]
    public async Task ReplaceSource_ChangedFileReimported_OldChunksAreGoneAndNewOnesFound()
    {
        var kb = Open();
        var source = new KnowledgeSource("/kb/gift.md", "gift.md", "v1");
        await kb.ReplaceSourceAsync(source, [new KnowledgeChunk("1", "礼品卡", "礼品卡不能兑换现金", KnowledgeChunkKind.Section)], Ct);

        await kb.ReplaceSourceAsync(source with { ContentHash = "v2" },
            [new KnowledgeChunk("1", "礼品卡", "礼品卡有效期三年", KnowledgeChunkKind.Section), new KnowledgeChunk("2", "礼品卡 > 挂失", "礼品卡丢失可挂失", KnowledgeChunkKind.Section)], Ct);

        (await kb.GetSourceHashAsync("/kb/gift.md", Ct)).ShouldBe("v2");
        (await kb.GetStatsAsync(Ct)).ShouldBe(new KnowledgeStats(1, 2));
        (await kb.SearchAsync("礼品卡兑换现金", 5, Ct)).ShouldAllBe(h => !h.Text.Contains("兑换现金"));
        (await kb.SearchAsync("礼品卡有效期", 1, Ct)).ShouldHaveSingleItem().Text.ShouldBe("礼品卡有效期三年");
        (await kb.RemoveSourceAsync("/kb/gift.md", Ct)).ShouldBeTrue();
        (await kb.SearchAsync("礼品卡有效期", 1, Ct)).ShouldBeEmpty();
        (await Count("kb_postings")).ShouldBe(0);
    }

    [Fact]
    public async Task Import_TwoReplicasImportTheSameFilesAtOnce_EachChunkIsStoredOnce()
    {
        var single = SqliteKnowledgeBase.Open(_temp.File("knowledge.db"));
        await new KnowledgeImporter(single).ImportAsync(KnowledgePaths, Ct);

        await Task.WhenAll(
            Task.Run(() => new KnowledgeImporter(Open()).ImportAsync(KnowledgePaths, Ct), Ct),
            Task.Run(() => new KnowledgeImporter(Open()).ImportAsync(KnowledgePaths, Ct), Ct));

        (await Count("kb_chunks")).ShouldBe((await single.GetStatsAsync(Ct)).Chunks);
    }

    [Fact]
    public async Task HybridImport_VectorsLiveInPostgres_AnotherReplicaSearchesThemWithoutReembedding()
    {
        var importerSource = new BigramBagEmbeddingSource();
        var importer = Open(importerSource);
        await new KnowledgeImporter(importer).ImportAsync(KnowledgePaths, Ct);
        var replicaSource = new BigramBagEmbeddingSource();
        var replica = Open(replicaSource);

        var hits = await replica.SearchAsync("开票", 3, Ct);

        (await Count("kb_vectors")).ShouldBe((await importer.GetStatsAsync(Ct)).Chunks);
        importerSource.Embedded.ShouldBe((await importer.GetStatsAsync(Ct)).Chunks);
        replicaSource.Embedded.ShouldBe(1, "only the question is embedded: the chunks' vectors come from the database");
        hits.ShouldNotBeEmpty();
        hits.ShouldContain(h => h.Similarity != null);
        hits[0].Title.ShouldContain("发票");
    }

    [Fact]
    public async Task HybridImport_UnchangedChunksReimported_KeepTheirVectorsWithoutCallingTheModel()
    {
        var source = new BigramBagEmbeddingSource();
        var kb = Open(source);
        var key = new KnowledgeSource("/kb/a.md", "a.md", "v1");
        KnowledgeChunk[] chunks = [new("1", "发票", "电子发票确认收货后申请", KnowledgeChunkKind.Section), new("2", "包邮", "满59元包邮", KnowledgeChunkKind.Section)];
        await kb.ReplaceSourceAsync(key, chunks, Ct);

        await kb.ReplaceSourceAsync(key with { ContentHash = "v2" }, [chunks[0], new("2", "包邮", "满99元包邮", KnowledgeChunkKind.Section)], Ct);

        source.Embedded.ShouldBe(3);
        (await Count("kb_vectors")).ShouldBe(2);
    }

    [Fact]
    public async Task HybridSearch_WithPgvector_FindsWhatTheExactSearchFinds()
    {
        var source = new BigramBagEmbeddingSource();
        var withExtension = Open(source);
        if (!_opened[^1].HasVectorExtension)
            Assert.Skip("pgvector is not available on this PostgreSQL server (Debian 12 has no postgresql-15-pgvector package): chunk vectors are searched exactly as real[].");
        await new KnowledgeImporter(withExtension).ImportAsync(KnowledgePaths, Ct);
        var exact = Open(source, useVectorExtension: false);

        foreach (var question in new[] { "开票", "电机坏了保修几年", "满多少钱可以包邮" })
        {
            var approximate = await withExtension.SearchAsync(question, 3, Ct);
            var expected = await exact.SearchAsync(question, 3, Ct);
            approximate.Select(h => h.Id).ShouldBe(expected.Select(h => h.Id), $"question: {question}");
            approximate.Select(h => h.Similarity ?? 0).ShouldBe(expected.Select(h => h.Similarity ?? 0), 1e-5);
        }
    }

    private PostgresKnowledgeBase Open(IEmbeddingSource? embeddings = null, bool useVectorExtension = true)
    {
        var database = PostgresDatabase.Open(_connectionString);
        _opened.Add(database);
        return new PostgresKnowledgeBase(database, dense: embeddings is null ? null : new DenseRetrieval(embeddings, new DenseCalibration()))
        {
            UseVectorExtension = useVectorExtension,
        };
    }

    private async Task<long> Count(string table)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _opened)
            await database.DisposeAsync();
        _temp.Dispose();
    }
}
