using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Kefu.Safety;
using Kefu.Safety.Words;

namespace Kefu.Benchmarks;

/// <summary>
/// Sensitive-word filter throughput in chars/s with the real public lists loaded (≈460 words plus whitelist), on a
/// long realistic Chinese text: the demo shop's policy text repeated to about 100,000 characters (it carries the
/// ads word 客服 a few times per copy, so hits and whitelist checks are part of the measurement).
/// </summary>
[Config(typeof(Configuration))]
[MemoryDiagnoser]
public class SafetyBenchmarks
{
    private const int Copies = 100;
    private const int StreamChunk = 8;

    private SensitiveWordMatcher _matcher = null!;
    private string _text = "";

    public static int CharacterCount => BenchmarkTexts.Chinese.Length * Copies;

    [GlobalSetup]
    public void Setup()
    {
        _matcher = SafetyBenchmarkData.RealListsMatcher();
        _text = string.Concat(Enumerable.Repeat(BenchmarkTexts.Chinese, Copies));
    }

    /// <summary>Normalise, match and resolve boundaries and whitelist; the hits are the only allocations.</summary>
    [Benchmark(Baseline = true)]
    public int FindHits() => _matcher.FindHits(_text).Count;

    /// <summary>FindHits plus the action decision and the masked copy of the text.</summary>
    [Benchmark]
    public int Check() => _matcher.Check(_text, TextDirection.Output).Text.Length;

    /// <summary>The same text pushed through the streaming filter in chunks of a few characters, as a model streams.</summary>
    [Benchmark]
    public int Stream()
    {
        var filter = _matcher.BeginStream();
        var released = 0;
        for (var at = 0; at < _text.Length; at += StreamChunk)
            released += filter.Push(_text.AsSpan(at, Math.Min(StreamChunk, _text.Length - at))).Released.Length;
        return released + filter.Complete().Released.Length;
    }

    private sealed class Configuration : ManualConfig
    {
        public Configuration() => AddColumn(new CharsPerSecondColumn(_ => CharacterCount));
    }
}
