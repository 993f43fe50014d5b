using System.Runtime.InteropServices;

// The entry points keep llama.cpp's own C names so they can be looked up in llama.h.
#pragma warning disable CA1707, IDE1006

namespace Kefu.Testing.LlamaCpp;

/// <summary>
/// llama.cpp's own quantizer (llama_model_quantize, what the llama-quantize tool runs), with default parameters
/// except the file type: no importance matrix, no overrides. The reference for which type each tensor gets and for
/// the bytes of whole quantized models.
/// </summary>
public static unsafe partial class LlamaCppQuantizer
{
    /// <summary>
    /// llama_model_quantize_params of these libraries: 64 bytes (llama_model_quantize_default_params stores up to
    /// offset 0x40), nthread at 0 and ftype at 4; the defaults are checked before changing them.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    private struct QuantizeParams
    {
        [FieldOffset(0x00)] public int Threads;
        [FieldOffset(0x04)] public int FileType;
    }

    /// <summary>Quantizes the GGUF model <paramref name="input"/> to <paramref name="output"/> as llama_ftype <paramref name="fileType"/> (e.g. 15 = Q4_K_M).</summary>
    public static void Quantize(string input, string output, int fileType, int threads = 2)
    {
        LlamaCppLibraries.Require();
        var parameters = llama_model_quantize_default_params();
        if (parameters.Threads != 0 || parameters.FileType != 7)
            throw new InvalidOperationException($"llama_model_quantize_default_params gave nthread {parameters.Threads}, ftype {parameters.FileType} (expected 0 and 7 = Q8_0): not the layout these bindings expect.");
        parameters.Threads = threads;
        parameters.FileType = fileType;
        var result = llama_model_quantize(input, output, &parameters);
        if (result != 0)
            throw new InvalidOperationException($"llama_model_quantize({input} → {output}, ftype {fileType}) failed with {result}: {LlamaCppLog.Recent()}");
    }

    [LibraryImport(LlamaCppLibraries.Llama)]
    private static partial QuantizeParams llama_model_quantize_default_params();

    [LibraryImport(LlamaCppLibraries.Llama, StringMarshalling = StringMarshalling.Utf8)]
    private static partial uint llama_model_quantize(string input, string output, QuantizeParams* parameters);
}
