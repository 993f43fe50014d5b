namespace Kefu.Service.Dialogue;

/// <summary>Counts the tokens a text costs in the model's context (the model's tokenizer when there is one).</summary>
public interface ITokenCounter
{
    int CountTokens(string text);
}
