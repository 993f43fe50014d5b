using System.Diagnostics.Metrics;

namespace Kefu.Service.Embeddings;

/// <summary>
/// Counts embedding failures (by stage: import or query), each one a moment the knowledge base fell back to BM25
/// alone. On the service's meter, so /metrics shows them beside the other knowledge metrics.
/// </summary>
public sealed class DenseRetrievalMetrics
{
    private readonly Counter<long> _failures;

    public DenseRetrievalMetrics(IMeterFactory meterFactory, string meterName)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _failures = meterFactory.Create(meterName).CreateCounter<long>(
            "kefu.knowledge.embedding.failures", "{failure}", "Embedding calls that failed, so search or import went on with BM25 alone; by stage.");
    }

    public void Failed(string stage) => _failures.Add(1, new KeyValuePair<string, object?>("stage", stage));
}
