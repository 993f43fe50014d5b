using Xunit;

namespace Kefu.Testing;

/// <summary>
/// Locates the read-only reference data in <c>../shared</c> beside the checkout (see DEVELOPERS.md: never copied
/// into the repository). Tests that need it call <see cref="RequireDirectory"/>, which skips with a message naming
/// what is missing when the folder is absent.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string?> Root = new(FindRoot);

    /// <summary>The <c>shared</c> folder beside the repository, or null when there is none.</summary>
    public static string? RootDirectory => Root.Value;

    /// <summary>The repository's root folder (the one holding Kefu.slnx).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Returns <c>shared/{relative}</c>, or skips the calling test when it does not exist.</summary>
    public static string RequireDirectory(string relative)
    {
        var path = RootDirectory is null ? null : Path.Combine(RootDirectory, relative);
        if (path is null || !Directory.Exists(path))
            Assert.Skip($"Reference data ../shared/{relative} is absent beside the checkout; this test needs it.");
        return path!;
    }

    /// <summary>Returns <c>shared/{relative}</c> for a file, or skips the calling test when it does not exist.</summary>
    public static string RequireFile(string relative)
    {
        var path = RootDirectory is null ? null : Path.Combine(RootDirectory, relative);
        if (path is null || !File.Exists(path))
            Assert.Skip($"Reference file ../shared/{relative} is absent beside the checkout; this test needs it.");
        return path!;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kefu.slnx")))
                return dir.FullName;
        }
        // Built with --artifacts-path outside the checkout: fall back to where this source file was compiled from.
        var compiledFrom = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(SourceFilePath())!, "..", ".."));
        if (File.Exists(Path.Combine(compiledFrom, "Kefu.slnx")))
            return compiledFrom;
        throw new InvalidOperationException($"No Kefu.slnx above {AppContext.BaseDirectory} or {compiledFrom}");
    }

    private static string SourceFilePath([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    private static string? FindRoot()
    {
        var environment = Environment.GetEnvironmentVariable("KEFU_SHARED_DIR");
        if (!string.IsNullOrEmpty(environment))
            return Directory.Exists(environment) ? environment : null;
        var beside = Path.Combine(Path.GetDirectoryName(RepositoryRoot)!, "shared");
        return Directory.Exists(beside) ? beside : null;
    }
}
