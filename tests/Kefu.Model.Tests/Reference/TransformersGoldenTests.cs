using System.Text.Json;
using Kefu.Model.Generation;
using Kefu.Model.Runtime;
using Kefu.Testing;
using static TorchSharp.torch;

namespace Kefu.Model.Tests.Reference;

/// <summary>
/// Kefu's Qwen2 against Hugging Face transformers: tiny random models that tools/reference/make_qwen2_golden.py
/// saved with transformers, loaded here by Kefu's own safetensors reader; float32 logits within 1e-4 and the same
/// greedy continuation. Skips while tools/reference/golden/ has not been generated.
/// </summary>
public sealed class TransformersGoldenTests
{
    [Fact]
    public void EveryGoldenModel_GivesTransformersLogitsAndGreedyTokens()
    {
        var folder = Path.Combine(SharedData.RepositoryRoot, "tools", "reference", "golden");
        var records = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json") : [];
        if (records.Length == 0)
            Assert.Skip($"No golden outputs in {folder}: run tools/reference/make_qwen2_golden.py where transformers is installed, and commit its output.");

        foreach (var recordPath in records)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(recordPath));
            var record = document.RootElement;
            var inputIds = record.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var expected = record.GetProperty("logits").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
            var expectedTokens = record.GetProperty("greedy_new_tokens").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            using var model = ModelFolder.Load(Path.Combine(folder, record.GetProperty("model_dir").GetString()!));
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();

            var logits = model.forward(tensor(inputIds, [1, inputIds.Length]))[0];

            var reference = tensor(expected.SelectMany(r => r).ToArray(), [expected.Length, expected[0].Length]);
            TinyModels.MaxDifference(logits, reference).ShouldBeLessThan(1e-4, Path.GetFileName(recordPath));
            var generated = new Qwen2Generator(model).Generate(inputIds.Select(i => (int)i).ToList(),
                new GenerationOptions { MaxNewTokens = expectedTokens.Length, StopTokenIds = [] }, TestContext.Current.CancellationToken);
            generated.Tokens.ShouldBe(expectedTokens, Path.GetFileName(recordPath));
        }
    }
}
