using System.Diagnostics;
using Kefu.Model.Generation;
using Kefu.Model.Modules;
using static TorchSharp.torch;

namespace Kefu.Model.Runtime;

/// <summary>
/// Times generation the way a user feels it: prefill of a prompt of random tokens (ending in the first token),
/// then greedy decode steps; beside it, the memory-bandwidth bound on decode measured on the same machine, in the
/// same process.
/// </summary>
public static class GenerationBenchmark
{
    public static GenerationBenchmarkResult Run(Qwen2ForCausalLM model, int promptTokens, int newTokens, long seed = 1, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(promptTokens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(newTokens, 2);

        progress?.Invoke("warming up");
        var random = new Random((int)seed);
        var vocabulary = Math.Min(model.Config.VocabSize, 151643);
        int[] RandomPrompt(int length) => Enumerable.Range(0, length).Select(_ => random.Next(vocabulary)).ToArray();
        var greedy = new GenerationOptions { MaxNewTokens = newTokens, StopTokenIds = [] };
        new Qwen2Generator(model).Generate(RandomPrompt(Math.Min(promptTokens, 16)), greedy with { MaxNewTokens = 4 });

        progress?.Invoke($"prefill {promptTokens} tokens, decode {newTokens}");
        using var session = new GenerationSession(model, [RandomPrompt(promptTokens)], greedy);
        var watch = Stopwatch.StartNew();
        session.Prefill();
        var prefill = watch.Elapsed;
        var token = session.Sample();
        var firstToken = watch.Elapsed;
        for (var i = 1; i < newTokens; i++)
        {
            session.Feed(token);
            token = session.Sample();
        }
        var decode = watch.Elapsed - firstToken;
        // Read the peak before the bandwidth test's 1 GB buffer would raise it.
        var peak = ProcessMemory.PeakResidentBytes();

        progress?.Invoke("measuring memory read bandwidth");
        var bandwidth = MemoryBandwidth.MeasureReadBytesPerSecond();

        return new GenerationBenchmarkResult
        {
            DType = model.DType.ToString(),
            Threads = get_num_threads(),
            PromptTokens = promptTokens,
            NewTokens = newTokens,
            Prefill = prefill,
            TimeToFirstToken = firstToken,
            Decode = decode,
            PrefillTokensPerSecond = promptTokens / prefill.TotalSeconds,
            DecodeTokensPerSecond = (newTokens - 1) / decode.TotalSeconds,
            PeakResidentBytes = peak,
            WeightBytesPerToken = WeightBytesPerToken(model),
            ReadBytesPerSecond = bandwidth,
        };
    }

    /// <summary>Bytes of weights a decode step reads: all parameters, minus the untied embedding table (one row is read).</summary>
    public static long WeightBytesPerToken(Qwen2ForCausalLM model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var total = model.NamedWeights().Sum(w => w.Value.NumberOfElements * w.Value.ElementSize);
        if (!model.Config.TieWordEmbeddings)
        {
            var embedding = model.Model.EmbedTokens.weight;
            total -= embedding.NumberOfElements * embedding.ElementSize;
        }
        return total;
    }
}
