using Kefu.Service.Embeddings;

namespace Kefu.Service.Tests.Embeddings;

public sealed class OpenAiEmbeddingSourceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateAsync_NoModelGiven_TakesTheServersFirstModel_AndReturnsItsVectors()
    {
        await using var server = await FakeEmbeddingServer.StartAsync();

        var source = await OpenAiEmbeddingSource.CreateAsync(server.BaseAddress, model: null, apiKey: null, Ct);
        var vectors = await source.EmbedAsync(["怎么开发票？", "多少钱包邮"], Ct);

        source.ModelId.ShouldBe(FakeEmbeddingServer.ModelName);
        vectors.Count.ShouldBe(2);
        vectors[0].ShouldBe(BigramBagEmbedder.Embed("怎么开发票？"));
        vectors[1].ShouldBe(BigramBagEmbedder.Embed("多少钱包邮"));
    }

    [Fact]
    public async Task EmbedAsync_ManyTexts_AreSentInBatches()
    {
        await using var server = await FakeEmbeddingServer.StartAsync();
        var source = await OpenAiEmbeddingSource.CreateAsync(server.BaseAddress, FakeEmbeddingServer.ModelName, apiKey: null, Ct);
        var texts = Enumerable.Range(0, 130).Select(i => $"问题{i}").ToList();

        var vectors = await source.EmbedAsync(texts, Ct);

        vectors.Count.ShouldBe(130);
        vectors[129].ShouldBe(BigramBagEmbedder.Embed("问题129"));
        server.Requests.ShouldBe(3);
    }

    [Fact]
    public async Task CreateAsync_ServerDownAndNoModelGiven_FailsWithAMessageNamingTheServer()
    {
        var server = await FakeEmbeddingServer.StartAsync();
        var address = server.BaseAddress;
        await server.DisposeAsync();

        var error = await Should.ThrowAsync<InvalidOperationException>(() => OpenAiEmbeddingSource.CreateAsync(address, model: null, apiKey: null, Ct));

        error.Message.ShouldContain(address.ToString());
        error.Message.ShouldContain("--embeddings-model");
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/v1/")]
    [InlineData("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1/")]
    [InlineData("http://host/api/v1/", "http://host/api/v1/")]
    public void ApiRoot_UrlWithOrWithoutV1_EndsInV1Slash(string url, string expected) =>
        Kefu.Service.OpenAiCompatibleServer.ApiRoot(new Uri(url)).ToString().ShouldBe(expected);
}
