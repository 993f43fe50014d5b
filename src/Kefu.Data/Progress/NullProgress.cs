namespace Kefu.Data.Progress;

/// <summary>Progress that goes nowhere (tests, library callers without a UI).</summary>
public sealed class NullProgress : IProgressReporter, IProgressStep
{
    public static NullProgress Instance { get; } = new();

    public IProgressStep Begin(string description, int total) => this;

    public void Advance(int amount = 1)
    {
    }

    public void Dispose()
    {
    }
}
