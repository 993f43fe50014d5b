namespace Kefu.Data.Reading;

/// <summary>Paths as users see them: relative to the working folder when inside it, with forward slashes.</summary>
internal static class PathDisplay
{
    public static string Relative(string root, string fullPath)
    {
        var relative = Path.GetRelativePath(root, fullPath);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            return fullPath.Replace('\\', '/');
        return relative.Replace('\\', '/');
    }
}
