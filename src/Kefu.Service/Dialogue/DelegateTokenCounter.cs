namespace Kefu.Service.Dialogue;

/// <summary>Counts tokens with a function: how a model's own tokenizer is plugged in without this assembly knowing it.</summary>
public sealed class DelegateTokenCounter(Func<string, int> count) : ITokenCounter
{
    public int CountTokens(string text) => count(text);
}
