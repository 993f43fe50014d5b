// An MSBuild task (compiled by RoslynCodeTaskFactory) that lets TorchSharp's libLibTorchSharp.so load on
// distributions whose libstdc++ predates GLIBCXX_3.4.32 (Debian 12). See ../shared/design/TORCHSHARP-ON-DEBIAN12.md.
//
// The library needs exactly one symbol of that version, std::ios_base_library_init(). The patch is done in place,
// without growing the file, so no patchelf is needed:
//   1. the GLIBCXX_3.4.32 entry of .gnu.version_r gets VER_FLG_WEAK, so a missing version is only a warning;
//   2. the symbol's .gnu.version entry becomes VER_NDX_GLOBAL, so our shim's unversioned definition satisfies it;
//   3. the redundant DT_SYMBOLIC entry (DT_FLAGS already carries DF_SYMBOLIC) becomes a DT_NEEDED for the shim,
//      whose name is written over the tail of the DT_RUNPATH string (whose extra entries are the package's CI build
//      paths), and the runpath is reduced to $ORIGIN, where the shim is copied beside the library.
// The output is written to a temporary file and renamed, so a hard link into the NuGet cache is never modified.
#nullable enable
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class PatchLibTorchSharpForOldLibstdcxx : Task
{
    private const uint ShtDynsym = 11, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff, ShtDynamic = 6;
    private const long DtNull = 0, DtNeeded = 1, DtSymbolic = 16, DtRunpath = 29, DtRpath = 15;
    private const string MissingVersion = "GLIBCXX_3.4.32";
    private const string MissingSymbol = "_ZSt21ios_base_library_initv";

    [Required] public string LibraryPath { get; set; } = "";
    [Required] public string ShimFileName { get; set; } = "";

    public override bool Execute()
    {
        try
        {
            var bytes = File.ReadAllBytes(LibraryPath);
            var result = Patch(bytes);
            if (result == null)
            {
                Log.LogMessage(MessageImportance.Low, "{0} is already patched", LibraryPath);
                return true;
            }
            var temp = LibraryPath + ".kefu-tmp";
            File.WriteAllBytes(temp, bytes);
            File.Replace(temp, LibraryPath, null); // a rename: the old inode (maybe a hard link) is left alone
            Log.LogMessage(MessageImportance.High, "Patched {0} for libstdc++ without {1}: {2}", LibraryPath, MissingVersion, result);
            return true;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            Log.LogError("Cannot patch {0}: {1}", LibraryPath, ex.Message);
            return false;
        }
    }

    /// <summary>Patches the image in place; returns a summary, or null when nothing was left to do.</summary>
    private string? Patch(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");

        long shoff = (long)U64(elf, 0x28);
        int shentsize = U16(elf, 0x3a), shnum = U16(elf, 0x3c);
        long dynsymOff = 0, dynsymSize = 0, dynstrOff = 0, verneedOff = 0, versymOff = 0, dynamicOff = 0, dynamicSize = 0;
        int verneedCount = 0;
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            uint type = U32(elf, sh + 4);
            long off = (long)U64(elf, sh + 0x18), size = (long)U64(elf, sh + 0x20);
            if (type == ShtDynsym)
            {
                dynsymOff = off; dynsymSize = size;
                uint link = U32(elf, sh + 0x28);
                dynstrOff = (long)U64(elf, shoff + link * shentsize + 0x18);
            }
            else if (type == ShtGnuVerneed) { verneedOff = off; verneedCount = (int)U32(elf, sh + 0x2c); }
            else if (type == ShtGnuVersym) versymOff = off;
            else if (type == ShtDynamic) { dynamicOff = off; dynamicSize = size; }
        }
        if (dynsymOff == 0 || verneedOff == 0 || versymOff == 0 || dynamicOff == 0)
            throw new InvalidDataException("missing .dynsym, .gnu.version_r, .gnu.version or .dynamic");

        var changes = new StringBuilder();

        // 1. Weak version requirement.
        long vn = verneedOff;
        for (int i = 0; i < verneedCount; i++)
        {
            int auxCount = U16(elf, vn + 2);
            long aux = vn + U32(elf, vn + 8);
            for (int j = 0; j < auxCount; j++)
            {
                if (Str(elf, dynstrOff + U32(elf, aux + 8)) == MissingVersion && (U16(elf, aux + 4) & 2) == 0)
                {
                    W16(elf, aux + 4, (ushort)(U16(elf, aux + 4) | 2));
                    changes.Append("weak ").Append(MissingVersion).Append("; ");
                }
                aux += U32(elf, aux + 12);
            }
            vn += U32(elf, vn + 12);
        }

        // 2. Unversioned reference to the one symbol of that version.
        for (long s = 0; s < dynsymSize / 24; s++)
        {
            if (Str(elf, dynstrOff + U32(elf, dynsymOff + s * 24)) != MissingSymbol) continue;
            long versym = versymOff + s * 2;
            if (U16(elf, versym) > 1)
            {
                W16(elf, versym, 1);
                changes.Append("unversioned ").Append(MissingSymbol).Append("; ");
            }
        }

        // 3. DT_NEEDED on the shim, beside the library ($ORIGIN).
        long symbolicEntry = -1, runpathEntry = -1;
        bool needsShim = true;
        for (long d = dynamicOff; d < dynamicOff + dynamicSize; d += 16)
        {
            long tag = (long)U64(elf, d);
            if (tag == DtNull) break;
            if (tag == DtSymbolic) symbolicEntry = d;
            if (tag == DtRunpath || tag == DtRpath) runpathEntry = d;
            if (tag == DtNeeded && Str(elf, dynstrOff + (long)U64(elf, d + 8)) == ShimFileName) needsShim = false;
        }
        if (needsShim)
        {
            if (symbolicEntry < 0 || runpathEntry < 0)
                throw new InvalidDataException("no DT_SYMBOLIC or DT_RUNPATH entry to reuse; this TorchSharp build needs patchelf");
            long runpath = dynstrOff + (long)U64(elf, runpathEntry + 8);
            int oldLength = Str(elf, runpath).Length;
            var origin = Encoding.ASCII.GetBytes("$ORIGIN");
            var shim = Encoding.ASCII.GetBytes(ShimFileName);
            if (origin.Length + 1 + shim.Length > oldLength)
                throw new InvalidDataException("the DT_RUNPATH string is too short to hold the shim's name");
            Array.Clear(elf, (int)runpath, oldLength);
            origin.CopyTo(elf, runpath);
            shim.CopyTo(elf, runpath + origin.Length + 1);
            W64(elf, symbolicEntry, DtNeeded);
            W64(elf, symbolicEntry + 8, (ulong)(U64(elf, runpathEntry + 8) + (ulong)origin.Length + 1));
            changes.Append("DT_NEEDED ").Append(ShimFileName).Append("; ");
        }
        return changes.Length == 0 ? null : changes.ToString().TrimEnd(' ', ';');
    }

    private static string Str(byte[] b, long at)
    {
        long end = at;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
    }

    private static ushort U16(byte[] b, long at) => BitConverter.ToUInt16(b, (int)at);
    private static uint U32(byte[] b, long at) => BitConverter.ToUInt32(b, (int)at);
    private static ulong U64(byte[] b, long at) => BitConverter.ToUInt64(b, (int)at);
    private static void W16(byte[] b, long at, ushort v) => BitConverter.GetBytes(v).CopyTo(b, at);
    private static void W64(byte[] b, long at, ulong v) => BitConverter.GetBytes(v).CopyTo(b, at);
    private static void W64(byte[] b, long at, long v) => W64(b, at, (ulong)v);
}
