using System.Globalization;
using System.Runtime.InteropServices;
using Kefu.Model.Runtime;

namespace Kefu.Quantization.Reporting;

/// <summary>
/// Peak resident memory per phase. Linux lets a process reset its own high-water mark (VmHWM) by writing 5 to
/// /proc/self/clear_refs, so each model variant measured in one process gets its own peak; where that is not
/// possible the peak is the process's so far and <see cref="CanReset"/> says so.
/// </summary>
public static partial class PeakMemory
{
    /// <summary>Frees what the previous phase left (managed garbage, so tensors' finalizers run) and resets the peak.</summary>
    public static bool Reset()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        TrimNativeHeap();
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            CanReset = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            CanReset = false;
        }
        return CanReset;
    }

    /// <summary>Whether the last <see cref="Reset"/> reset the high-water mark.</summary>
    public static bool CanReset { get; private set; }

    public static long PeakBytes() => ProcessMemory.PeakResidentBytes();

    /// <summary>Resident memory now (VmRSS), or 0 where /proc is not there.</summary>
    public static long CurrentBytes()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
            return 0;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var parts = line?["VmRSS:".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts is [var number, "kB"] && long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes) ? kilobytes * 1024 : 0;
    }

    /// <summary>
    /// glibc keeps freed native memory in its heaps; giving it back makes the next phase start from what is really in
    /// use (the float32 model a quantization step freed would otherwise still count).
    /// </summary>
    private static void TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux())
            return;
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl): nothing to trim.
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
