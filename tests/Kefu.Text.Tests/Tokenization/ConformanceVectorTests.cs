using System.Text.Json;

namespace Kefu.Text.Tests.Tokenization;

/// <summary>Byte-exact agreement with the reference tokenizer on published vectors (see shared README.md).</summary>
public sealed class ConformanceVectorTests
{
    private const string GgmlSeparator = "\n__ggml_vocab_test__\n";

    [Fact]
    public void Encode_LlamaCppQwen2Vectors_MatchTheReferenceIds()
    {
        var tokenizer = TestTokenizers.Qwen2;
        var inputs = File.ReadAllText(Path.Combine(TestTokenizers.Directory, "ggml-vocab-qwen2.gguf.inp")).Split(GgmlSeparator);
        var outputs = File.ReadAllLines(Path.Combine(TestTokenizers.Directory, "ggml-vocab-qwen2.gguf.out"));
        // The .inp file ends with a separator, leaving one empty element after the last case.
        inputs[^1].ShouldBeEmpty();
        inputs = inputs[..^1];
        inputs.Length.ShouldBe(46);
        outputs.Length.ShouldBe(inputs.Length);

        var mismatches = new List<string>();
        for (var i = 0; i < inputs.Length; i++)
        {
            var expected = outputs[i].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
            var actual = tokenizer.Encode(inputs[i]).ToArray();
            if (!actual.SequenceEqual(expected))
                mismatches.Add($"case {i} {JsonSerializer.Serialize(inputs[i])}: expected [{string.Join(' ', expected)}] got [{string.Join(' ', actual)}]");
        }
        mismatches.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("qwen2_tokenizer_test_vectors.json", 46)]
    [InlineData("qwen2_tokenizer_extra_vectors.json", 5)]
    public void Encode_JsonVectors_MatchTheReferenceIds(string file, int expectedCount)
    {
        var tokenizer = TestTokenizers.Qwen2;
        var cases = ReadVectors(file);
        cases.Count.ShouldBe(expectedCount);

        var mismatches = cases
            .Where(c => !tokenizer.Encode(c.Text).SequenceEqual(c.Ids))
            .Select(c => $"{JsonSerializer.Serialize(c.Text)}: expected [{string.Join(' ', c.Ids)}] got [{string.Join(' ', tokenizer.Encode(c.Text))}]")
            .ToList();
        mismatches.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("qwen2_tokenizer_test_vectors.json")]
    [InlineData("qwen2_tokenizer_extra_vectors.json")]
    public void Decode_JsonVectorIds_GiveBackTheTextUpToNfc(string file)
    {
        var tokenizer = TestTokenizers.Qwen2;
        foreach (var vector in ReadVectors(file))
            tokenizer.Decode(vector.Ids).ShouldBe(vector.Text.Normalize(System.Text.NormalizationForm.FormC));
    }

    [Theory]
    [InlineData("qwen2_tokenizer_test_vectors.json")]
    [InlineData("qwen2_tokenizer_extra_vectors.json")]
    public void CountTokens_JsonVectors_EqualsTheNumberOfIds(string file)
    {
        var tokenizer = TestTokenizers.Qwen2;
        foreach (var vector in ReadVectors(file))
            tokenizer.CountTokens(vector.Text).ShouldBe(vector.Ids.Length, vector.Text);
    }

    internal static List<(string Text, int[] Ids)> ReadVectors(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestTokenizers.Directory, file)));
        return [.. document.RootElement.EnumerateArray().Select(e => (
            e.GetProperty("text").GetString()!,
            e.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray()))];
    }
}
