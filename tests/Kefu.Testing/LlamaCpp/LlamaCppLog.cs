using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kefu.Testing.LlamaCpp;

/// <summary>
/// Receives llama.cpp's and ggml's log instead of stderr (a model load prints hundreds of lines per test) and keeps
/// the last warnings and errors, which the wrappers put in their exceptions: llama.cpp reports most failures only
/// there and returns null.
/// </summary>
public static class LlamaCppLog
{
    private const int Kept = 40;
    private const int WarnLevel = 3; // GGML_LOG_LEVEL_WARN; ERROR is 4, CONT 5 continues the previous line.
    private static readonly ConcurrentQueue<string> Lines = new();
    private static int _lastLevel;

    /// <summary>The last warnings and errors, oldest first.</summary>
    public static string Recent() => string.Join("", Lines).Trim();

    internal static unsafe void Install()
    {
        delegate* unmanaged[Cdecl]<int, byte*, void*, void> callback = &OnLog;
        GgmlNative.ggml_log_set(callback, null);
        LlamaNative.llama_log_set(callback, null);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe void OnLog(int level, byte* text, void* userData)
    {
        var effective = level == 5 ? _lastLevel : level;
        _lastLevel = effective;
        if (effective < WarnLevel || text is null)
            return;
        Lines.Enqueue(Marshal.PtrToStringUTF8((nint)text) ?? "");
        while (Lines.Count > Kept)
            Lines.TryDequeue(out _);
    }
}
