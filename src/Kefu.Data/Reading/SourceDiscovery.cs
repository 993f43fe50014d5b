using Kefu.Data.Diagnostics;
using Kefu.Data.Manifest;
using Kefu.Data.Records;
using Kefu.Text;

namespace Kefu.Data.Reading;

/// <summary>
/// Resolves PATH arguments to files. A folder with <c>kefu-data.json</c> uses the manifest; a folder without one is
/// scanned recursively for <c>*.json</c>, <c>*.jsonl</c> and <c>*.csv</c>, skipping hidden and build folders, tool
/// and build-output files, and treating files named like evaluation sets (eval, test, regression, holdout) as such.
/// </summary>
internal sealed class SourceDiscovery(string workingDirectory, DiagnosticBag diagnostics)
{
    private static readonly HashSet<string> DataExtensions = new(StringComparer.OrdinalIgnoreCase) { ".json", ".jsonl", ".csv" };

    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", "node_modules", "artifacts" };

    // Files that are never training data: manifests, build outputs, tool declarations, project and app settings.
    private static readonly HashSet<string> SkippedFiles = new(StringComparer.OrdinalIgnoreCase)
    {
        DatasetManifest.FileName, "dataset.json", "report.json", "train.jsonl", "tools.json", "package.json",
        "package-lock.json", "tsconfig.json", "global.json", "launchSettings.json", "config.json",
        "tokenizer.json", "tokenizer_config.json", "vocab.json", "generation_config.json",
    };

    private static readonly HashSet<string> EvalWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "eval", "evaluation", "test", "tests", "regression", "holdout", "benchmark",
    };

    private readonly List<SourceFile> _sources = [];
    private readonly List<SourceFile> _eval = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public DiscoveredFiles Discover(IReadOnlyList<string> paths)
    {
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path, workingDirectory);
            if (Directory.Exists(full))
            {
                var manifest = Path.Combine(full, DatasetManifest.FileName);
                if (File.Exists(manifest))
                    FromManifest(manifest);
                else
                    Scan(full);
            }
            else if (File.Exists(full))
            {
                if (string.Equals(Path.GetFileName(full), DatasetManifest.FileName, StringComparison.OrdinalIgnoreCase))
                    FromManifest(full);
                else
                    Add(_sources, new SourceFile(full, Display(full), Path.GetFileName(full)) { Explicit = true });
            }
            else
            {
                diagnostics.Error(DiagnosticCodes.PathNotFound, path, 0, null, "no such file or folder");
            }
        }
        return new DiscoveredFiles(_sources, _eval);
    }

    private void FromManifest(string manifestPath)
    {
        var display = Display(manifestPath);
        var manifest = ManifestReader.Read(manifestPath, display, diagnostics);
        if (manifest is null)
            return;
        var root = Path.GetDirectoryName(manifestPath)!;
        foreach (var source in manifest.Sources)
        {
            var files = Expand(root, source.Path);
            if (files.Count == 0)
                diagnostics.Error(DiagnosticCodes.ManifestError, display, source.Line, "path", $"no file matches '{source.Path}'");
            foreach (var file in files)
            {
                Add(_sources, new SourceFile(file, Display(file), PathDisplay.Relative(root, file))
                {
                    Format = source.Format,
                    DefaultCategory = source.Category,
                    DefaultTools = source.Tools ?? manifest.Tools,
                    DefaultSystemPrompt = source.System ?? manifest.System,
                    Explicit = true,
                });
            }
        }
        foreach (var eval in manifest.Eval)
        {
            var files = Expand(root, eval);
            if (files.Count == 0)
                diagnostics.Error(DiagnosticCodes.ManifestError, display, 0, "eval", $"no file matches '{eval}'");
            foreach (var file in files)
                Add(_eval, new SourceFile(file, Display(file), PathDisplay.Relative(root, file)) { DefaultTools = manifest.Tools, Explicit = true });
        }
    }

    private void Scan(string root)
    {
        IReadOnlyList<ToolDefinition> tools = [];
        var toolsFile = Path.Combine(root, "tools.json");
        if (File.Exists(toolsFile))
            tools = ReadScannedTools(toolsFile);
        foreach (var file in EnumerateFiles(root))
        {
            var name = Path.GetFileName(file);
            if (!DataExtensions.Contains(Path.GetExtension(file)) || SkippedFiles.Contains(name) || name.StartsWith('.')
                || name.EndsWith(".log.jsonl", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".schema.json", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase))
                continue;
            var source = new SourceFile(file, Display(file), PathDisplay.Relative(root, file)) { DefaultTools = tools };
            if (IsEvalName(name))
            {
                diagnostics.Note(DiagnosticCodes.FileSkipped, source.DisplayPath, 0, null,
                    "named like an evaluation set: not trained on, checked for leakage (list it under 'eval' in kefu-data.json to make this explicit)");
                Add(_eval, source);
            }
            else
            {
                Add(_sources, source);
            }
        }
    }

    private IReadOnlyList<ToolDefinition> ReadScannedTools(string toolsFile)
    {
        var manifest = ToolDefinitionReader.ReadFile(toolsFile, out var error);
        if (manifest is null)
        {
            diagnostics.Warning(DiagnosticCodes.InvalidToolDefinition, Display(toolsFile), 0, null, $"not used as the folder's tool declarations: {error}");
            return [];
        }
        diagnostics.Note(DiagnosticCodes.FileSkipped, Display(toolsFile), 0, null,
            $"declares {manifest.Count} tools for records that declare none ({string.Join(", ", manifest.Select(t => t.Name))})");
        return manifest;
    }

    private static IEnumerable<string> EnumerateFiles(string root)
    {
        // A folder holding dataset.json is a build output (kefu data build --out): never read it back as input.
        if (File.Exists(Path.Combine(root, "dataset.json")))
            yield break;
        foreach (var file in Directory.GetFiles(root).Order(StringComparer.Ordinal))
            yield return file;
        foreach (var folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(folder);
            if (name.StartsWith('.') || SkippedFolders.Contains(name))
                continue;
            foreach (var file in EnumerateFiles(folder))
                yield return file;
        }
    }

    private static bool IsEvalName(string fileName)
    {
        var stem = fileName.Split('.')[0];
        return stem.Split('-', '_', ' ').Any(EvalWords.Contains);
    }

    private static List<string> Expand(string root, string pattern)
    {
        var full = Path.GetFullPath(pattern, root);
        var name = Path.GetFileName(full);
        if (name.IndexOfAny(['*', '?']) < 0)
            return File.Exists(full) ? [full] : [];
        var directory = Path.GetDirectoryName(full)!;
        return Directory.Exists(directory) ? [.. Directory.GetFiles(directory, name).Order(StringComparer.Ordinal)] : [];
    }

    private void Add(List<SourceFile> list, SourceFile file)
    {
        if (_seen.Add(file.FullPath))
            list.Add(file);
    }

    private string Display(string fullPath) => PathDisplay.Relative(workingDirectory, fullPath);
}
