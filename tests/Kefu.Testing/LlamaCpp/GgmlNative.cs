using System.Runtime.InteropServices;

// The entry points keep ggml's own C names so they can be looked up in ggml.h / gguf.h / ggml-backend.h.
#pragma warning disable CA1707, IDE1006, SA1300

namespace Kefu.Testing.LlamaCpp;

/// <summary>
/// ggml and gguf entry points of libggml-base / libggml (ggml.h, gguf.h, ggml-backend.h of llama.cpp "v0.5.0").
/// Types are the C ones: enum → int, size_t → nuint, int64_t → long, bool → byte.
/// </summary>
internal static unsafe partial class GgmlNative
{
    /// <summary>ggml_type_traits: type_name, blck_size, blck_size_interleave, type_size, is_quantized, to_float, from_float_ref.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct TypeTraits
    {
        public byte* TypeName;
        public long BlockSize;
        public long BlockSizeInterleave;
        public nuint TypeSize;
        public byte IsQuantized;
        public delegate* unmanaged[Cdecl]<void*, float*, long, void> ToFloat;
        public void* FromFloatRef;
    }

    /// <summary>gguf_init_params: no_alloc, and an optional ggml_context** to receive the tensors (not used here).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct GgufInitParams
    {
        public byte NoAlloc;
        public nint Context;
    }

    [LibraryImport(LlamaCppLibraries.Ggml, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void ggml_backend_load_all_from_path(string directory);

    [LibraryImport(LlamaCppLibraries.Ggml)]
    internal static partial nuint ggml_backend_dev_count();

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial void ggml_log_set(delegate* unmanaged[Cdecl]<int, byte*, void*, void> callback, void* userData);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial nuint ggml_quantize_chunk(int type, float* source, void* destination, long start, long rows, long valuesPerRow, float* importance);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial byte ggml_quantize_requires_imatrix(int type);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial TypeTraits* ggml_get_type_traits(int type);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial byte* ggml_type_name(int type);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial long ggml_blck_size(int type);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial nuint ggml_type_size(int type);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial nuint ggml_row_size(int type, long values);

    [LibraryImport(LlamaCppLibraries.GgmlBase, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint gguf_init_from_file(string path, GgufInitParams parameters);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial void gguf_free(nint context);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial uint gguf_get_version(nint context);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial nuint gguf_get_alignment(nint context);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial nuint gguf_get_data_offset(nint context);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial long gguf_get_n_kv(nint context);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial byte* gguf_get_key(nint context, long keyId);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial int gguf_get_kv_type(nint context, long keyId);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial int gguf_get_arr_type(nint context, long keyId);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial nuint gguf_get_arr_n(nint context, long keyId);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial void* gguf_get_arr_data(nint context, long keyId);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial byte* gguf_get_arr_str(nint context, long keyId, nuint index);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial void* gguf_get_val_data(nint context, long keyId);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial byte* gguf_get_val_str(nint context, long keyId);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial long gguf_get_n_tensors(nint context);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial byte* gguf_get_tensor_name(nint context, long tensorId);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial int gguf_get_tensor_type(nint context, long tensorId);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial nuint gguf_get_tensor_offset(nint context, long tensorId);

    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial nuint gguf_get_tensor_size(nint context, long tensorId);

    /// <summary>The tensor's ne[GGML_MAX_DIMS = 4], innermost first, unused dimensions 1.</summary>
    [LibraryImport(LlamaCppLibraries.GgmlBase)]
    internal static partial long* gguf_get_tensor_ne(nint context, long tensorId);
}
