using Kefu.Evaluation.Judging;
using Kefu.Evaluation.Scenarios;
using Microsoft.Extensions.AI;

namespace Kefu.Evaluation.Tests.Scoring;

public sealed class LlmJudgeTests
{
    /// <summary>An IChatClient that answers from a script and records what it was asked.</summary>
    internal sealed class ScriptedChatClient(Func<IReadOnlyList<ChatMessage>, string> answer) : IChatClient
    {
        public List<List<ChatMessage>> Requests { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = messages.ToList();
            Requests.Add(list);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer(list))));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }

    private static readonly RegressionScenario Scenario = RegressionSetReader.Parse(
        """{"id":"j","turns":["运费险怎么赔"],"expect":{"facts":["12元"],"must_not_say":["全额"]}}""", "t.jsonl", 1);

    [Fact]
    public async Task Score_JudgeAnswersFour_MapsToThreeQuartersAndSeesFactsAndReply()
    {
        var client = new ScriptedChatClient(_ => "分数: 4");
        var score = await new LlmJudge(client).ScoreAsync(Scenario, "按首重退，最多12元", TestContext.Current.CancellationToken);
        score.ShouldBe(0.75);
        var prompt = client.Requests.Single().Last().Text;
        prompt.ShouldContain("12元");
        prompt.ShouldContain("全额");
        prompt.ShouldContain("按首重退，最多12元");
    }

    [Theory]
    [InlineData("score: 5", 1.0)]
    [InlineData("评价很好。\n分数：1", 0.0)]
    [InlineData("我觉得还行", null)]
    [InlineData("分数: 9", null)]
    public void Parse_JudgeText_GivesScoreOnlyInTheAgreedForm(string text, double? expected) => LlmJudge.Parse(text).ShouldBe(expected);
}
