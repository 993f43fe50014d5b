using System.Reflection;
using System.Runtime.InteropServices;
using Xunit;

namespace Kefu.Testing.LlamaCpp;

/// <summary>
/// The prebuilt llama.cpp CPU libraries (npm package @node-llama-cpp/linux-x64 3.22.1, llama.cpp "v0.5.0"), found in
/// $KEFU_LLAMA_CPP_DIR or ~/.cache/kefu/llama-cpp/3.22.1, or installed there on first use by
/// eng/llama-cpp/install-llama-cpp.sh (once per test process). They are loaded from that folder by full path, ggml's
/// backend loader picks the libggml-cpu-&lt;isa&gt;.so that suits this CPU, and llama.cpp's log goes to
/// <see cref="LlamaCppLog"/> instead of stderr. Tests call <see cref="Require"/>, which skips with what is missing.
/// </summary>
public static class LlamaCppLibraries
{
    public const string PackageVersion = "3.22.1";
    internal const string Llama = "llama";
    internal const string GgmlBase = "ggml-base";
    internal const string Ggml = "ggml";

    private static readonly Dictionary<string, string> FileNames = new(StringComparer.Ordinal)
    {
        [GgmlBase] = "libggml-base.so",
        [Ggml] = "libggml.v0.5.0.so",
        [Llama] = "libllama.v0.5.0.so",
    };

    private static readonly Dictionary<string, nint> Handles = new(StringComparer.Ordinal);
    private static readonly Lazy<string?> Problem = new(LoadOrExplain, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The folder the libraries were loaded from (after a successful <see cref="Require"/>).</summary>
    public static string? Directory { get; private set; }

    /// <summary>Why llama.cpp cannot be used in this process, or null when it is loaded and ready.</summary>
    public static string? Unavailability => Problem.Value;

    /// <summary>Loads llama.cpp (installing it once if needed), or skips the calling test saying what is missing.</summary>
    public static void Require()
    {
        if (Problem.Value is { } problem)
            Assert.Skip(problem);
    }

    private static string? LoadOrExplain()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            return $"The llama.cpp reference checks use prebuilt Linux x64 libraries; this is {RuntimeInformation.OSDescription} {RuntimeInformation.ProcessArchitecture}.";
        var directory = LibraryDirectory();
        if (!File.Exists(Path.Combine(directory, FileNames[Llama])) && Install() is { } installProblem)
            return installProblem;
        try
        {
            foreach (var (name, file) in FileNames)
                Handles[name] = NativeLibrary.Load(Path.Combine(directory, file));
            NativeLibrary.SetDllImportResolver(typeof(LlamaCppLibraries).Assembly, Resolve);
            LlamaCppLog.Install();
            GgmlNative.ggml_backend_load_all_from_path(directory);
            if (GgmlNative.ggml_backend_dev_count() == 0)
                return $"llama.cpp's backend loader found no CPU backend in {directory} that runs on this CPU (libggml-cpu-*.so).";
            LlamaNative.llama_backend_init();
            Directory = directory;
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException or InvalidOperationException)
        {
            return $"The llama.cpp libraries in {directory} do not load here: {e.Message}";
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        Handles.TryGetValue(libraryName, out var handle) ? handle : 0;

    private static string LibraryDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("KEFU_LLAMA_CPP_DIR");
        var root = !string.IsNullOrEmpty(configured) ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "kefu", "llama-cpp", PackageVersion);
        return Path.Combine(root, "bins", "linux-x64");
    }

    private static string? Install()
    {
        var script = Path.Combine(SharedData.RepositoryRoot, "eng", "llama-cpp", "install-llama-cpp.sh");
        if (!File.Exists(script))
            return $"llama.cpp is not installed in {LibraryDirectory()} and {script} is missing to install it.";
        var timeout = TimeSpan.FromMinutes(5);
        var outcome = InstallScript.RunAsync(script, timeout).GetAwaiter().GetResult();
        if (outcome.Succeeded && File.Exists(Path.Combine(LibraryDirectory(), FileNames[Llama])))
            return null;
        return $"llama.cpp is not installed in {LibraryDirectory()} and {script} could not install it ({outcome.Describe(timeout)}).";
    }
}
