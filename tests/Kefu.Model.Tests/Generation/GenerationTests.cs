using Kefu.Model.Generation;
using Kefu.Model.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Kefu.Model.Tests.Generation;

public sealed class GenerationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly GenerationOptions Greedy = new() { MaxNewTokens = 8, StopTokenIds = [] };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GreedyGenerate_WithKvCache_EqualsArgMaxOfRepeatedFullForwards(bool tied)
    {
        using var model = TinyModels.Create(tied);
        var prompt = TinyModels.Ids(6, seed: 11).Select(i => (int)i).ToList();

        var generated = new Qwen2Generator(model).Generate(prompt, Greedy, Ct);

        generated.Tokens.ShouldBe(NaiveGreedy(model, prompt, 8));
        generated.FinishReason.ShouldBe(GenerationFinishReason.Length);
        generated.PromptTokenCount.ShouldBe(6);
    }

    [Fact]
    public void BatchOfPromptsOfDifferentLengths_GivesEachRowItsUnbatchedTokens_AndStopsRowsOnTheirOwn()
    {
        using var model = TinyModels.Create();
        var generator = new Qwen2Generator(model);
        // Find prompts whose continuations give the short row a stop token (a token the long row never produces).
        var (shortPrompt, longPrompt, shortAlone, longAlone, stopAt) = Enumerable.Range(0, 50)
            .Select(seed =>
            {
                var s = TinyModels.Ids(3, seed: 100 + seed).Select(i => (int)i).ToList();
                var l = TinyModels.Ids(10, seed: 200 + seed).Select(i => (int)i).ToList();
                var sa = generator.Generate(s, Greedy, Ct).Tokens;
                var la = generator.Generate(l, Greedy, Ct).Tokens;
                var at = Enumerable.Range(1, sa.Count - 2).FirstOrDefault(i => !la.Contains(sa[i]) && !sa.Take(i).Contains(sa[i]), -1);
                return (s, l, sa, la, at);
            })
            .First(c => c.at > 0);
        var stop = shortAlone[stopAt];
        var options = Greedy with { StopTokenIds = [stop] };

        var batch = generator.Generate([shortPrompt, longPrompt], options, Ct);

        batch[0].Tokens.ShouldBe(shortAlone.Take(stopAt));
        batch[0].FinishReason.ShouldBe(GenerationFinishReason.Stop);
        batch[0].StopTokenId.ShouldBe(stop);
        batch[1].Tokens.ShouldBe(longAlone);
        batch[1].FinishReason.ShouldBe(GenerationFinishReason.Length);
    }

    [Fact]
    public void Sampling_WithTheSameSeed_RepeatsItself_AndAnotherSeedDiffers()
    {
        using var model = TinyModels.Create();
        var generator = new Qwen2Generator(model);
        var prompt = TinyModels.Ids(4, seed: 31).Select(i => (int)i).ToList();
        var sampling = new GenerationOptions { MaxNewTokens = 16, Temperature = 1.5, StopTokenIds = [], Seed = 5 };

        var first = generator.Generate(prompt, sampling, Ct).Tokens;
        var again = generator.Generate(prompt, sampling, Ct).Tokens;
        var other = generator.Generate(prompt, sampling with { Seed = 6 }, Ct).Tokens;

        again.ShouldBe(first);
        other.ShouldNotBe(first);
    }

    [Fact]
    public void Sampling_WithTopKOne_IsGreedy()
    {
        using var model = TinyModels.Create();
        var generator = new Qwen2Generator(model);
        var prompt = TinyModels.Ids(5, seed: 41).Select(i => (int)i).ToList();

        var sampled = generator.Generate(prompt, Greedy with { Temperature = 2.0, TopK = 1, Seed = 1 }, Ct).Tokens;

        sampled.ShouldBe(generator.Generate(prompt, Greedy, Ct).Tokens);
    }

    [Fact]
    public async Task Streaming_YieldsTheSameTokensAsGenerate_WithTheFinishReasonOnTheLast()
    {
        using var model = TinyModels.Create();
        var generator = new Qwen2Generator(model);
        var prompt = TinyModels.Ids(5, seed: 51).Select(i => (int)i).ToList();
        var expected = generator.Generate(prompt, Greedy, Ct).Tokens;

        var streamed = new List<GeneratedToken>();
        await foreach (var token in generator.GenerateAsync(prompt, Greedy, TestContext.Current.CancellationToken))
            streamed.Add(token);

        streamed.Select(t => t.TokenId).ShouldBe(expected);
        streamed.Select(t => t.Index).ShouldBe(Enumerable.Range(0, 8));
        streamed[^1].FinishReason.ShouldBe(GenerationFinishReason.Length);
        streamed.Take(7).ShouldAllBe(t => t.FinishReason == null);
    }

    [Fact]
    public async Task Streaming_StopToken_EndsTheStreamAndIsReportedAsStop()
    {
        using var model = TinyModels.Create();
        var generator = new Qwen2Generator(model);
        var prompt = TinyModels.Ids(5, seed: 52).Select(i => (int)i).ToList();
        var free = generator.Generate(prompt, Greedy, Ct).Tokens;
        var stop = free[3];
        var firstStop = free.ToList().IndexOf(stop);

        var streamed = new List<GeneratedToken>();
        await foreach (var token in generator.GenerateAsync(prompt, Greedy with { StopTokenIds = [stop] }, TestContext.Current.CancellationToken))
            streamed.Add(token);

        streamed.Count.ShouldBe(firstStop + 1);
        streamed[^1].TokenId.ShouldBe(stop);
        streamed[^1].FinishReason.ShouldBe(GenerationFinishReason.Stop);
    }

    [Fact]
    public async Task Streaming_CancelledMidway_ThrowsOperationCanceled()
    {
        using var model = TinyModels.Create();
        var generator = new Qwen2Generator(model);
        using var cancellation = new CancellationTokenSource();
        var received = 0;

        await Should.ThrowAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in generator.GenerateAsync([1, 2, 3], Greedy with { MaxNewTokens = 100 }, cancellation.Token))
            {
                if (++received == 3)
                    await cancellation.CancelAsync();
            }
        });
        received.ShouldBe(3);
    }

    [Fact]
    public void Generate_LeavesNoLiveTensorsBehind()
    {
        using var model = TinyModels.Create();
        var generator = new Qwen2Generator(model);
        generator.Generate([1, 2, 3], Greedy, Ct);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        generator.Generate([[1, 2, 3], [4, 5]], Greedy with { Temperature = 0.8, TopP = 0.9, TopK = 50, RepetitionPenalty = 1.1, Seed = 3 }, Ct);

        DisposeScopeManager.Statistics.ThreadTotalLiveCount.ShouldBe(before);
    }

    [Fact]
    public void Generate_PromptTokenOutsideTheVocabulary_IsRefused()
    {
        using var model = TinyModels.Create();

        Should.Throw<ArgumentException>(() => new Qwen2Generator(model).Generate([1, 300], Greedy, Ct)).Message.ShouldContain("300");
    }

    private static List<int> NaiveGreedy(Qwen2ForCausalLM model, List<int> prompt, int count)
    {
        var ids = prompt.Select(i => (long)i).ToList();
        using var noGrad = no_grad();
        for (var i = 0; i < count; i++)
        {
            using var scope = NewDisposeScope();
            var logits = model.forward(tensor(ids.ToArray(), [1, ids.Count]));
            ids.Add(logits[0, -1].argmax().item<long>());
        }
        return ids.Skip(prompt.Count).Select(i => (int)i).ToList();
    }
}
