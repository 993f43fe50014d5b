namespace Kefu.Server.Resilience;

/// <summary>The circuit breakers of the configured model backends (none in retrieval-only mode).</summary>
internal sealed record ModelCircuits(IReadOnlyList<ModelCircuitBreaker> Breakers)
{
    public ModelCircuitBreaker? Find(string backend) => Breakers.FirstOrDefault(b => b.Backend == backend);
}
