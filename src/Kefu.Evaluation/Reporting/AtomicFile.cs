using System.Text;

namespace Kefu.Evaluation.Reporting;

/// <summary>Writes a file through a temporary beside it and a rename, so readers never see half a report.</summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, text, new UTF8Encoding(false));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    public static void WriteAllLines(string path, IEnumerable<string> lines) => WriteAllText(path, string.Concat(lines.Select(l => l + "\n")));
}
