using System.ComponentModel.DataAnnotations;

namespace Kefu.Service.Embeddings;

/// <summary>
/// Maps a cosine similarity onto the knowledge base's 0–1 confidence scale, linearly from <see cref="Unrelated"/>
/// (confidence 0) to <see cref="Equivalent"/> (confidence 1), so the same "I don't know" threshold gates dense and
/// lexical hits. Cosine ranges differ a lot between models (bge/e5 put unrelated Chinese text at 0.5–0.7, OpenAI's
/// text-embedding-3 at 0.1–0.3), so these are per-model settings: measure a few unrelated and paraphrased
/// question/FAQ pairs (<c>kefu kb search</c> prints the cosine) and set them.
/// </summary>
public sealed class DenseCalibration
{
    /// <summary>Cosine of texts about different things (confidence 0).</summary>
    [Range(-1.0, 1.0)]
    public double Unrelated { get; set; } = 0.5;

    /// <summary>Cosine of a question and the FAQ entry that answers it (confidence 1).</summary>
    [Range(-1.0, 1.0)]
    public double Equivalent { get; set; } = 0.9;

    /// <summary>The confidence a hit of similarity <paramref name="cosine"/> earns.</summary>
    public double Confidence(double cosine) =>
        Equivalent <= Unrelated ? (cosine >= Equivalent ? 1 : 0) : Math.Clamp((cosine - Unrelated) / (Equivalent - Unrelated), 0, 1);
}
