using System.Diagnostics;
using System.Globalization;
using Kefu.Service.Knowledge;
using Kefu.Service.Tests.Support;
using Kefu.Testing;

namespace Kefu.Service.Tests.Knowledge;

/// <summary>
/// Search latency over 100,000 chunks (the demo's knowledge plus synthetic variants of it), printed. It takes about a
/// minute to build, so it runs only when KEFU_MEASURE_LARGE=1.
/// </summary>
public sealed class LargeKnowledgeBaseMeasurementTests(ITestOutputHelper output)
{
    private const int ChunkCount = 100_000;

    [Fact]
    public async Task Search_Over100kChunks_P50P95()
    {
        if (Environment.GetEnvironmentVariable("KEFU_MEASURE_LARGE") != "1")
            Assert.Skip("Set KEFU_MEASURE_LARGE=1 to build a 100k-chunk knowledge base and measure search latency.");
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var kb = SqliteKnowledgeBase.Open(temp.File("kb.db"));
        await new KnowledgeImporter(kb).ImportAsync(DemoShopData.KnowledgePaths(), ct);
        var seeds = FaqFileReader.ReadCsv(await File.ReadAllTextAsync(DemoShopData.Require(Path.Combine("data", "faq.csv")), ct), "faq.csv");
        foreach (var page in Directory.GetFiles(DemoShopData.Require("knowledge"), "*.md"))
            seeds.AddRange(new MarkdownChunker().Chunk(await File.ReadAllTextAsync(page, ct), Path.GetFileNameWithoutExtension(page)));
        seeds.Count.ShouldBeGreaterThan(50);

        // Variants: each seed under a different shop and product line, so terms repeat as in a real large catalog.
        var random = new Random(42);
        string[] shops = ["青禾", "木兰", "北辰", "云杉", "白桦", "海棠", "松果", "麦田", "竹影", "星河"];
        string[] lines = ["家电", "床品", "厨具", "个护", "收纳", "灯具", "茶具", "宠物", "文具", "户外"];
        var build = Stopwatch.StartNew();
        const int perSource = 5_000;
        for (var source = 0; source < ChunkCount / perSource; source++)
        {
            var chunks = Enumerable.Range(0, perSource).Select(i =>
            {
                var seed = seeds[random.Next(seeds.Count)];
                var prefix = $"{shops[random.Next(shops.Length)]}{lines[random.Next(lines.Length)]}{random.Next(1000).ToString(CultureInfo.InvariantCulture)}号";
                return new KnowledgeChunk($"v{source}-{i}", prefix + seed.Title, prefix + "：" + seed.Text, seed.Kind);
            }).ToList();
            await kb.ReplaceSourceAsync(new KnowledgeSource($"synthetic-{source}", $"synthetic-{source}.csv", source.ToString(CultureInfo.InvariantCulture)), chunks, ct);
        }
        var stats = await kb.GetStatsAsync(ct);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"built {stats.Chunks} chunks in {build.Elapsed.TotalSeconds:F1} s"));

        string[] questions = ["退货运费谁出？", "怎么开电子发票", "积分会过期吗", "电饭煲保修几年", "能用花呗分期吗", "今天天气怎么样", "包裹已经发出了，我想换个收货地址", "两张店铺满减券能在一个订单里同时用吗？"];
        var latencies = new List<double>();
        for (var round = 0; round < 12; round++)
        {
            foreach (var question in questions)
            {
                var started = Stopwatch.GetTimestamp();
                await kb.SearchAsync(question, 3, ct);
                if (round >= 2)
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        latencies.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"search over {stats.Chunks} chunks, {latencies.Count} queries: p50 {latencies[latencies.Count / 2]:F1} ms, p95 {latencies[(int)(latencies.Count * 0.95)]:F1} ms, max {latencies[^1]:F1} ms"));
    }
}
