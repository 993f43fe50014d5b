using Kefu.Service.Dialogue;

namespace Kefu.Service.Tests.Dialogue;

public sealed class HistoryWindowTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Select_BudgetForTheLastTwo_KeepsTheNewestInOrder()
    {
        var messages = new[] { Message("一二三四五六"), Message("七八九十"), Message("好的") };
        var budget = (4 + HistoryWindow.MessageOverheadTokens) + (2 + HistoryWindow.MessageOverheadTokens);

        var window = HistoryWindow.Select(messages, budget, new EstimatingTokenCounter());

        window.Select(m => m.Content).ShouldBe(["七八九十", "好的"]);
    }

    [Fact]
    public void Select_ManyShortMessages_KeepsMoreThanFewLongOnes()
    {
        var shortOnes = Enumerable.Range(0, 20).Select(_ => Message("好")).ToList();
        var longOnes = Enumerable.Range(0, 20).Select(_ => Message(new string('长', 200))).ToList();

        var counter = new EstimatingTokenCounter();
        HistoryWindow.Select(shortOnes, 100, counter).Count.ShouldBe(20);
        HistoryWindow.Select(longOnes, 100, counter).ShouldBeEmpty();
    }

    [Fact]
    public void EstimatingTokenCounter_CountsChineseByCharacter_AndOtherTextByThirds()
    {
        new EstimatingTokenCounter().CountTokens("退货 return policy").ShouldBe(2 + 4);
    }

    private static SessionMessage Message(string text) => new(SessionMessage.User, text, At);
}
