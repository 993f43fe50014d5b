namespace Kefu.Safety.Escalation;

/// <summary>What the complexity score looks at for one turn.</summary>
/// <param name="Message">The customer's latest message.</param>
/// <param name="RetrievalConfidence">
/// How well the knowledge base matched the message, 0..1 (null when retrieval did not run, e.g. an order lookup).
/// </param>
/// <param name="RecentFailures">How many of the preceding turns went unresolved (fallbacks, "I don't know").</param>
public sealed record ComplexitySignals(string Message, double? RetrievalConfidence = null, int RecentFailures = 0);
