namespace Kefu.Learning;

/// <summary>
/// The learning folder: <c>state.json</c> (what was harvested), <c>review/</c> (files waiting for a person),
/// <c>reviewed/</c> (merged ones), <c>learned.messages.jsonl</c> (approved records, a kefu data build source in the
/// messages format), <c>adapters/</c> (versions and registry.json) and <c>runs/&lt;id&gt;/</c> (each run's report).
/// </summary>
public sealed class LearningLayout(string root)
{
    public string Root { get; } = Path.GetFullPath(root);
    public string StateFile => Path.Combine(Root, "state.json");
    public string ReviewDirectory => Path.Combine(Root, "review");
    public string ReviewedDirectory => Path.Combine(Root, "reviewed");
    public string LearnedFile => Path.Combine(Root, "learned.messages.jsonl");
    public string AdaptersDirectory => Path.Combine(Root, "adapters");
    public string RunsDirectory => Path.Combine(Root, "runs");

    public string RunDirectory(string runId) => Path.Combine(RunsDirectory, runId);
}
