namespace Kefu.Data.Tests;

/// <summary>The hand-written data files copied beside the test assembly.</summary>
internal static class TestFiles
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "TestData");

    public static string Broken(string name) => Path.Combine(Root, "broken", name);

    public static string Valid(string name = "") => Path.Combine(Root, "valid", name);

    public static string Warnings(string name) => Path.Combine(Root, "warnings", name);
}
