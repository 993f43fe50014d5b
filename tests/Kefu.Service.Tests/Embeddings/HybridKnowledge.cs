using Kefu.Service.Embeddings;
using Kefu.Service.Knowledge;
using Kefu.Testing;
using Microsoft.Data.Sqlite;

namespace Kefu.Service.Tests.Embeddings;

/// <summary>Knowledge bases over the tests' shop knowledge with dense retrieval from the fake embeddings server.</summary>
internal static class HybridKnowledge
{
    /// <summary>
    /// The calibration for <see cref="BigramBagEmbedder"/>, measured on TestKnowledge: off-topic questions reach
    /// cosine 0.16 at most, paraphrases 0.33–0.6.
    /// </summary>
    public static DenseCalibration FakeCalibration => new() { Unrelated = 0.1, Equivalent = 0.6 };

    /// <summary>
    /// The calibration for <see cref="BigramBagEmbedder"/> on the demo shop's larger knowledge: its off-topic and
    /// unanswerable regression questions reach cosine 0.34, so the answer threshold (0.35) is put at cosine 0.44.
    /// </summary>
    public static DenseCalibration DemoCalibration => new() { Unrelated = 0.3, Equivalent = 0.7 };

    public static SqliteKnowledgeBase Open(
        TempDirectory temp, IEmbeddingSource source, DenseRetrievalMetrics? metrics = null, DenseCalibration? calibration = null) =>
        SqliteKnowledgeBase.Open(temp.File("kb.db"), dense: new DenseRetrieval(source, calibration ?? FakeCalibration), denseMetrics: metrics);

    public static Task<IEmbeddingSource> SourceAsync(FakeEmbeddingServer server) =>
        OpenAiEmbeddingSource.CreateAsync(server.BaseAddress, FakeEmbeddingServer.ModelName, apiKey: null, TestContext.Current.CancellationToken);

    /// <summary>The stored vectors by chunk title.</summary>
    public static Dictionary<string, byte[]> StoredVectors(TempDirectory temp)
    {
        using var connection = new SqliteConnection($"Data Source={temp.File("kb.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT c.title, v.vector FROM kb_vectors v JOIN kb_chunks c ON c.id = v.chunk_id";
        using var reader = command.ExecuteReader();
        var vectors = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        while (reader.Read())
            vectors[reader.GetString(0)] = (byte[])reader.GetValue(1);
        return vectors;
    }
}
