using System.Buffers;
using System.Globalization;
using System.Text;
using Kefu.Data.Diagnostics;
using Kefu.Data.Records;

namespace Kefu.Data.Reading;

/// <summary>
/// A source file's bytes, checked to be UTF-8: a BOM is a warning (and stripped), anything else that is not UTF-8
/// (typically GBK from Excel or old Windows tools) is an error that names the byte offset.
/// </summary>
internal sealed class SourceText
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    private SourceText(byte[] utf8, string text)
    {
        Utf8 = utf8;
        Text = text;
        Lines = new LineMap(utf8);
    }

    /// <summary>The file's bytes without the BOM.</summary>
    public byte[] Utf8 { get; }

    public string Text { get; }

    public LineMap Lines { get; }

    /// <summary>Reads and checks <paramref name="file"/>; returns null (after reporting why) when it cannot be decoded.</summary>
    public static SourceText? Load(SourceFile file, DiagnosticBag diagnostics)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file.FullPath);
        }
        catch (IOException e)
        {
            diagnostics.Error(DiagnosticCodes.PathNotFound, file.DisplayPath, 0, null, $"cannot read the file: {e.Message}");
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            diagnostics.Error(DiagnosticCodes.PathNotFound, file.DisplayPath, 0, null, $"cannot read the file: {e.Message}");
            return null;
        }
        return FromBytes(bytes, file.DisplayPath, diagnostics);
    }

    public static SourceText? FromBytes(byte[] bytes, string displayPath, DiagnosticBag diagnostics)
    {
        var offset = 0;
        if (bytes.AsSpan().StartsWith(Bom))
        {
            diagnostics.Warning(DiagnosticCodes.ByteOrderMark, displayPath, 1, null,
                "the file starts with a UTF-8 byte-order mark (BOM); it is ignored, but save as UTF-8 without BOM");
            offset = Bom.Length;
        }
        var body = bytes.AsSpan(offset);
        var invalidAt = FindInvalidUtf8(body);
        if (invalidAt >= 0)
        {
            var absolute = invalidAt + offset;
            var line = new LineMap(bytes).LineOf(absolute);
            var shown = Convert.ToHexString(bytes.AsSpan(absolute, Math.Min(2, bytes.Length - absolute)));
            var hint = LooksLikeGbk(body)
                ? "the file looks GBK-encoded (as Excel and older Windows tools save Chinese text); convert it: iconv -f GBK -t UTF-8"
                : "save the file as UTF-8";
            diagnostics.Error(DiagnosticCodes.InvalidEncoding, displayPath, line, null,
                string.Create(CultureInfo.InvariantCulture, $"invalid UTF-8 at byte offset {absolute} (0x{shown}): {hint}"));
            return null;
        }
        var utf8 = body.ToArray();
        return new SourceText(utf8, Encoding.UTF8.GetString(utf8));
    }

    /// <summary>The offset of the first byte that is not part of a valid UTF-8 sequence, or -1.</summary>
    internal static int FindInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var scratch = ArrayPool<char>.Shared.Rent(4096);
        try
        {
            var consumed = 0;
            while (consumed < bytes.Length)
            {
                var status = System.Text.Unicode.Utf8.ToUtf16(bytes[consumed..], scratch, out var read, out _, replaceInvalidSequences: false, isFinalBlock: true);
                consumed += read;
                if (status == OperationStatus.InvalidData || status == OperationStatus.NeedMoreData)
                    return consumed;
                if (status == OperationStatus.Done)
                    return -1;
            }
            return -1;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(scratch);
        }
    }

    private static bool LooksLikeGbk(ReadOnlySpan<byte> bytes)
    {
        try
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            var gbk = Encoding.GetEncoding(936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            var text = gbk.GetString(bytes);
            return text.Any(c => c >= '\u4e00' && c <= '\u9fff');
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
