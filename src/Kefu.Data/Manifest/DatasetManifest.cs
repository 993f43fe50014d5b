using Kefu.Text;

namespace Kefu.Data.Manifest;

/// <summary>
/// <c>kefu-data.json</c>: which files of a dataset folder are training data, in which format and category, which
/// tools their conversations may call, and which files are evaluation sets. Paths are relative to the manifest.
/// <code>
/// {
///   "sources": [
///     { "path": "data/faq.csv", "format": "csv", "category": "knowledge" },
///     { "path": "data/dialogues.sharegpt.json", "format": "sharegpt", "category": "dialogue" },
///     { "path": "data/edge-cases/*.jsonl", "category": "exception" }
///   ],
///   "tools": "tools.json",
///   "system": "你是青禾优选的智能客服…",
///   "eval": [ "regression.jsonl" ]
/// }
/// </code>
/// <list type="bullet">
/// <item><c>sources</c> (required): <c>path</c> (required; <c>*</c>/<c>?</c> allowed in the file name), <c>format</c>
/// (<c>alpaca</c>, <c>messages</c> (alias <c>openai</c>), <c>sharegpt</c> or <c>csv</c>; detected from the content when
/// left out), <c>category</c> (knowledge, dialogue or exception: the default for records without their own
/// <c>category</c>; inferred from content when left out), <c>tools</c> (a file of OpenAI tool definitions or an inline
/// array, for records that declare none).</item>
/// <item><c>tools</c>: the default tool declarations for every source. Give the tools the service offers, so every
/// sample shows the model the same tool block it sees at inference.</item>
/// <item><c>system</c>: the system prompt for records without one (also allowed per source). Give the service's
/// system prompt, so training and serving share the prompt; without it the chat template's default is used.</item>
/// <item><c>eval</c>: evaluation sets (e.g. the regression set of <c>kefu eval</c>); never trained on; the build
/// reports training records that nearly duplicate them (leakage).</item>
/// </list>
/// </summary>
/// <param name="Path">The manifest file.</param>
/// <param name="Sources">The training sources, in order.</param>
/// <param name="Eval">Evaluation-set paths (wildcards allowed), relative to the manifest.</param>
public sealed record DatasetManifest(string Path, IReadOnlyList<ManifestSource> Sources, IReadOnlyList<string> Eval)
{
    /// <summary>The manifest's file name.</summary>
    public const string FileName = "kefu-data.json";

    /// <summary>Default system prompt for records without one.</summary>
    public string? System { get; init; }

    /// <summary>Default tools for sources that name none.</summary>
    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];
}
