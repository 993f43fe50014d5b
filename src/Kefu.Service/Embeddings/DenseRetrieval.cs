namespace Kefu.Service.Embeddings;

/// <summary>
/// Turns on dense retrieval in the knowledge base: chunks are embedded at import, questions at search, and the
/// nearest chunks are fused with the BM25 ranking. Registered in the service's container when configured.
/// </summary>
/// <param name="Source">Where vectors come from.</param>
/// <param name="Calibration">How a cosine maps to a confidence.</param>
public sealed record DenseRetrieval(IEmbeddingSource Source, DenseCalibration Calibration);
