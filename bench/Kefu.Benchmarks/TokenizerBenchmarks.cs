using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Kefu.Text;

namespace Kefu.Benchmarks;

/// <summary>
/// Encode throughput of the Qwen2 tokenizer on Chinese and English customer-service text, reported as chars/s. The
/// tokenizer folder (vocab.json, merges.txt) comes from KEFU_TOKENIZER_DIR, else ../shared/qwen2-tokenizer beside
/// the checkout. The same text is encoded again and again, so words of up to 15 characters come from the BPE
/// word cache after the first round (as in a busy server); longer runs of Chinese are merged every time.
/// </summary>
[Config(typeof(Configuration))]
[MemoryDiagnoser]
public class TokenizerBenchmarks
{
    private Qwen2Tokenizer _tokenizer = null!;
    private string _text = "";

    [Params("Chinese", "English")]
    public string Language { get; set; } = "Chinese";

    public static int CharacterCount(string language) => TextFor(language).Length;

    [GlobalSetup]
    public void Setup()
    {
        _tokenizer = Qwen2Tokenizer.FromDirectory(BenchmarkData.TokenizerDirectory());
        _text = TextFor(Language);
    }

    [Benchmark]
    public int Encode() => _tokenizer.Encode(_text).Count;

    [Benchmark]
    public int CountTokens() => _tokenizer.CountTokens(_text);

    private static string TextFor(string language) => language == "Chinese" ? BenchmarkTexts.Chinese : BenchmarkTexts.English;

    private sealed class Configuration : ManualConfig
    {
        public Configuration() => AddColumn(new CharsPerSecondColumn(b => CharacterCount((string)b.Parameters["Language"])));
    }
}
