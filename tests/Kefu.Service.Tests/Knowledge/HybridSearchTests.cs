using System.Diagnostics.Metrics;
using Kefu.Service.Embeddings;
using Kefu.Service.Knowledge;
using Kefu.Service.Tests.Embeddings;
using Kefu.Service.Tests.Support;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Service.Tests.Knowledge;

/// <summary>Hybrid retrieval over real SQLite and a fake OpenAI-compatible embeddings server on real HTTP.</summary>
public sealed class HybridSearchTests
{
    private const int TestKnowledgeChunks = 7;
    private static readonly double Threshold = new KefuServiceOptions().AnswerThreshold;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Import_WithEmbeddings_StoresOneVectorPerChunk_AndSearchEmbedsOnlyTheQuestion()
    {
        await using var server = await FakeEmbeddingServer.StartAsync();
        using var temp = new TempDirectory();
        var kb = HybridKnowledge.Open(temp, await HybridKnowledge.SourceAsync(server));

        await ImportTestKnowledgeAsync(temp, kb);
        var afterImport = server.Texts;
        var again = await new KnowledgeImporter(kb).ImportAsync([temp.File("faq.csv"), temp.File("warranty.md")], Ct);
        var hits = await kb.SearchAsync("怎么开发票", 3, Ct);

        afterImport.ShouldBe(TestKnowledgeChunks);
        HybridKnowledge.StoredVectors(temp).Count.ShouldBe(TestKnowledgeChunks);
        again.Unchanged.Count.ShouldBe(2);
        server.Texts.ShouldBe(TestKnowledgeChunks + 1, "the re-import and the search must reuse the stored vectors");
        hits[0].Title.ShouldBe("怎么开发票？");
        hits[0].Similarity.ShouldNotBeNull();
    }

    [Theory]
    [InlineData("开票", "怎么开发票？")]
    [InlineData("修要多久", "保修与维修 > 维修时效")]
    [InlineData("分期付款", "可以用花呗分期吗？")]
    public async Task Search_ParaphraseBm25AloneCannotAnswer_HybridAnswersAboveThreshold(string question, string expectedTitle)
    {
        await using var server = await FakeEmbeddingServer.StartAsync();
        using var temp = new TempDirectory();
        var hybrid = HybridKnowledge.Open(temp, await HybridKnowledge.SourceAsync(server));
        await ImportTestKnowledgeAsync(temp, hybrid);
        var bm25Only = SqliteKnowledgeBase.Open(temp.File("kb.db"));

        var lexical = await bm25Only.SearchAsync(question, 3, Ct);
        var fused = await hybrid.SearchAsync(question, 3, Ct);

        (lexical.Count == 0 || lexical[0].Confidence < Threshold).ShouldBeTrue("BM25 alone should not answer this paraphrase");
        fused[0].Title.ShouldBe(expectedTitle);
        fused[0].Confidence.ShouldBeGreaterThanOrEqualTo(Threshold);
    }

    [Theory]
    [InlineData("今天天气怎么样")]
    [InlineData("股票推荐")]
    [InlineData("帮我写一首诗")]
    public async Task Search_OffTopicQuestion_StaysBelowThreshold_WithEmbeddingsToo(string question)
    {
        await using var server = await FakeEmbeddingServer.StartAsync();
        using var temp = new TempDirectory();
        var kb = HybridKnowledge.Open(temp, await HybridKnowledge.SourceAsync(server));
        await ImportTestKnowledgeAsync(temp, kb);

        var hits = await kb.SearchAsync(question, 3, Ct);

        hits.ShouldAllBe(h => h.Confidence < Threshold);
    }

    [Fact]
    public async Task Reimport_OneChunkChanged_OnlyThatChunkIsReembedded()
    {
        await using var server = await FakeEmbeddingServer.StartAsync();
        using var temp = new TempDirectory();
        var kb = HybridKnowledge.Open(temp, await HybridKnowledge.SourceAsync(server));
        await ImportTestKnowledgeAsync(temp, kb);
        var before = HybridKnowledge.StoredVectors(temp);
        var embeddedBefore = server.Texts;

        await File.WriteAllTextAsync(temp.File("faq.csv"), TestKnowledge.Faq.Replace("积分在获得次年的12月31日过期。", "积分永久有效，不会过期。", StringComparison.Ordinal), Ct);
        await new KnowledgeImporter(kb).ImportAsync([temp.File("faq.csv")], Ct);
        var after = HybridKnowledge.StoredVectors(temp);

        (server.Texts - embeddedBefore).ShouldBe(1);
        after.Count.ShouldBe(TestKnowledgeChunks);
        after["积分会过期吗？"].ShouldNotBe(before["积分会过期吗？"]);
        after["退货运费谁出？"].ShouldBe(before["退货运费谁出？"]);
        var hits = await kb.SearchAsync("积分永久有效吗", 1, Ct);
        hits[0].Text.ShouldContain("永久有效");
    }

    [Fact]
    public async Task Search_EmbeddingServerDown_Bm25StillAnswers_AndTheFailureIsCounted()
    {
        var server = await FakeEmbeddingServer.StartAsync();
        using var temp = new TempDirectory();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterName = "Kefu.Test." + Guid.NewGuid().ToString("N");
        var metrics = new DenseRetrievalMetrics(services.GetRequiredService<IMeterFactory>(), meterName);
        long counted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == meterName)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref counted, value));
        listener.Start();
        var kb = HybridKnowledge.Open(temp, await HybridKnowledge.SourceAsync(server), metrics);
        await ImportTestKnowledgeAsync(temp, kb);
        await server.DisposeAsync();

        var hits = await kb.SearchAsync("退货的运费要我自己出吗", 3, Ct);

        hits[0].Title.ShouldBe("退货运费谁出？");
        hits[0].Confidence.ShouldBeGreaterThanOrEqualTo(Threshold);
        hits[0].Similarity.ShouldBeNull();
        kb.EmbeddingFailures.ShouldBe(1);
        Interlocked.Read(ref counted).ShouldBe(1);
    }

    [Fact]
    public async Task Import_EmbeddingServerDown_ImportsForBm25_AndTheNextImportFillsInTheVectors()
    {
        await using var server = await FakeEmbeddingServer.StartAsync();
        using var temp = new TempDirectory();
        var source = new SwitchableEmbeddingSource(await HybridKnowledge.SourceAsync(server)) { Down = true };
        var kb = HybridKnowledge.Open(temp, source);

        await ImportTestKnowledgeAsync(temp, kb);
        var vectorsWhileDown = HybridKnowledge.StoredVectors(temp).Count;
        var answeredWhileDown = await kb.SearchAsync("电子发票怎么申请", 1, Ct);
        source.Down = false;
        var report = await new KnowledgeImporter(kb).ImportAsync([temp.File("faq.csv"), temp.File("warranty.md")], Ct);
        var fused = await kb.SearchAsync("开票", 1, Ct);

        vectorsWhileDown.ShouldBe(0);
        answeredWhileDown[0].Title.ShouldBe("怎么开发票？");
        kb.EmbeddingFailures.ShouldBeGreaterThan(0);
        report.Unchanged.Count.ShouldBe(2);
        report.Embedded.ShouldBe(TestKnowledgeChunks);
        HybridKnowledge.StoredVectors(temp).Count.ShouldBe(TestKnowledgeChunks);
        fused[0].Title.ShouldBe("怎么开发票？");
        fused[0].Confidence.ShouldBeGreaterThanOrEqualTo(Threshold);
    }

    [Fact]
    public async Task Search_AfterAnotherProcessImportedWithoutEmbeddings_NewChunksAreEmbeddedInTheBackground()
    {
        await using var server = await FakeEmbeddingServer.StartAsync();
        using var temp = new TempDirectory();
        var serving = HybridKnowledge.Open(temp, await HybridKnowledge.SourceAsync(server));
        await ImportTestKnowledgeAsync(temp, serving);
        await File.WriteAllTextAsync(temp.File("more.csv"), "question,answer\n支持哪些快递？,默认中通或圆通，顺丰加12元。\n", Ct);
        await new KnowledgeImporter(SqliteKnowledgeBase.Open(temp.File("kb.db"))).ImportAsync([temp.File("more.csv")], Ct);

        await serving.SearchAsync("快递", 1, Ct);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while (HybridKnowledge.StoredVectors(temp).Count < TestKnowledgeChunks + 1 && DateTimeOffset.UtcNow < deadline)
            await Task.Delay(20, Ct);
        var hits = await serving.SearchAsync("快递", 1, Ct);

        HybridKnowledge.StoredVectors(temp).Count.ShouldBe(TestKnowledgeChunks + 1);
        hits[0].Title.ShouldBe("支持哪些快递？");
        hits[0].Similarity.ShouldNotBeNull();
    }

    [Fact]
    public async Task Search_DenseOnlyHit_HasNoBm25Score_AndAtLeastItsCalibratedCosineAsConfidence()
    {
        await using var server = await FakeEmbeddingServer.StartAsync();
        using var temp = new TempDirectory();
        var kb = HybridKnowledge.Open(temp, await HybridKnowledge.SourceAsync(server));
        await ImportTestKnowledgeAsync(temp, kb);

        var hits = await kb.SearchAsync("修要多久", 3, Ct);

        hits[0].Bm25.ShouldBe(0);
        hits[0].Similarity!.Value.ShouldBeGreaterThan(0.3);
        hits[0].Confidence.ShouldBeGreaterThanOrEqualTo(HybridKnowledge.FakeCalibration.Confidence(hits[0].Similarity!.Value) - 1e-9);
    }

    private static async Task ImportTestKnowledgeAsync(TempDirectory temp, SqliteKnowledgeBase kb)
    {
        await File.WriteAllTextAsync(temp.File("faq.csv"), TestKnowledge.Faq, Ct);
        await File.WriteAllTextAsync(temp.File("warranty.md"), TestKnowledge.Policy, Ct);
        await new KnowledgeImporter(kb).ImportAsync([temp.File("faq.csv"), temp.File("warranty.md")], Ct);
    }
}
