namespace Kefu.Data.Progress;

/// <summary>Where long data steps report progress; the CLI shows it as a Spectre.Console progress bar.</summary>
public interface IProgressReporter
{
    /// <summary>Starts a step of <paramref name="total"/> units (files, records).</summary>
    IProgressStep Begin(string description, int total);
}

/// <summary>One running step; disposing it marks it complete.</summary>
public interface IProgressStep : IDisposable
{
    void Advance(int amount = 1);
}
