using System.Globalization;
using Kefu.Model.Runtime;

namespace Kefu.Training.Benchmarking;

/// <summary>
/// The process's resident memory, current and peak, with a way to restart the peak so that two runs in one process
/// are measured apart (Linux: writing 5 to /proc/self/clear_refs resets VmHWM to the current RSS).
/// </summary>
public static class ResidentMemory
{
    /// <summary>Current resident set size in bytes (VmRSS), or 0 where /proc is absent.</summary>
    public static long Current() => ReadStatus("VmRSS:");

    /// <summary>Peak resident set size in bytes since start or the last <see cref="TryResetPeak"/>.</summary>
    public static long Peak() => ProcessMemory.PeakResidentBytes();

    /// <summary>Restarts the peak at the current RSS; false where the system cannot (the peak then spans the process).</summary>
    public static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    private static long ReadStatus(string field)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
            return 0;
        foreach (var line in File.ReadLines(status))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal))
                continue;
            var parts = line[field.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes))
                return kilobytes * 1024;
        }
        return 0;
    }
}
