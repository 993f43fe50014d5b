using System.Text;

namespace Kefu.Service.Tests.Embeddings;

/// <summary>
/// A deterministic stand-in for an embedding model (NOT a real one): a bag of the text's characters and character
/// bigrams, hashed (FNV-1a) into a fixed number of dimensions. Texts sharing characters are close, so a paraphrase
/// that shares characters but no bigram with a FAQ entry (开票 / 开发票) is found, which word-level BM25 misses.
/// </summary>
internal static class BigramBagEmbedder
{
    public const int Dimensions = 256;

    public static float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        var characters = text.EnumerateRunes().Where(r => Rune.IsLetterOrDigit(r)).Select(r => r.ToString()).ToList();
        for (var i = 0; i < characters.Count; i++)
        {
            vector[Bucket(characters[i])] += 1;
            if (i + 1 < characters.Count)
                vector[Bucket(characters[i] + characters[i + 1])] += 1;
        }
        return vector;
    }

    private static int Bucket(string feature)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(feature))
            hash = (hash ^ b) * 16777619u;
        return (int)(hash % Dimensions);
    }
}
