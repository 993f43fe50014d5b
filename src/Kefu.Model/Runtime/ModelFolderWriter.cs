using Kefu.Model.Configuration;

namespace Kefu.Model.Runtime;

/// <summary>
/// Writing a complete model folder from another (<c>kefu merge</c>, <c>kefu quantize</c>): refused over a folder that
/// has files, written into a hidden sibling folder and renamed into place only when everything is there, so a
/// failure never leaves half a model under the real name.
/// </summary>
public static class ModelFolderWriter
{
    /// <summary>The full path of <paramref name="outputDirectory"/>; throws when it exists and is not empty.</summary>
    public static string RequireEmptyOutput(string outputDirectory)
    {
        var output = Path.GetFullPath(outputDirectory);
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
            throw new IOException($"{output}: the output folder exists and is not empty; choose another --out or remove it.");
        return output;
    }

    /// <summary>
    /// Runs <paramref name="write"/> on a hidden sibling folder of <paramref name="output"/> (a full path), then renames
    /// it to <paramref name="output"/>, replacing an empty folder there; the sibling is deleted when anything fails.
    /// </summary>
    public static void WriteThenRename(string output, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var parent = Path.GetDirectoryName(output)!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, "." + Path.GetFileName(output) + ".tmp-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            write(temp);
            if (Directory.Exists(output))
                Directory.Delete(output);
            Directory.Move(temp, output);
        }
        catch
        {
            if (Directory.Exists(temp))
                Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    /// <summary>Copies generation_config.json and the tokenizer files, those that <paramref name="sourceDirectory"/> has.</summary>
    public static void CopyCompanionFiles(string sourceDirectory, string directory)
    {
        var generation = Path.Combine(sourceDirectory, Qwen2GenerationConfig.FileName);
        if (File.Exists(generation))
            File.Copy(generation, Path.Combine(directory, Qwen2GenerationConfig.FileName));
        ModelFolder.CopyTokenizerFiles(sourceDirectory, directory);
    }
}
