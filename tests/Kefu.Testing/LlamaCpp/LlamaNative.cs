using System.Runtime.InteropServices;

// The entry points keep llama.cpp's own C names so they can be looked up in llama.h.
#pragma warning disable CA1707, IDE1006

namespace Kefu.Testing.LlamaCpp;

/// <summary>
/// llama.h entry points of libllama.v0.5.0.so (node-llama-cpp 3.22.1). The two parameter structs are passed by
/// value, so their sizes must be exact: 80 and 160 bytes, read from the stores in llama_model_default_params and
/// llama_context_default_params of these very libraries (pinned by the installer's sha512). Only fields whose
/// offsets were confirmed there are named; <see cref="LlamaCppModel"/> checks their default values at run time
/// before changing any, and reads the changed ones back through the context's getters.
/// </summary>
internal static unsafe partial class LlamaNative
{
    [StructLayout(LayoutKind.Explicit, Size = 80)]
    internal struct ModelParams
    {
        [FieldOffset(0x10)] public int GpuLayers;
    }

    [StructLayout(LayoutKind.Explicit, Size = 160)]
    internal struct ContextParams
    {
        [FieldOffset(0x00)] public uint ContextLength;
        [FieldOffset(0x04)] public uint BatchSize;
        [FieldOffset(0x08)] public uint MicroBatchSize;
        [FieldOffset(0x0c)] public uint MaxSequences;
        [FieldOffset(0x1c)] public int Threads;
        [FieldOffset(0x20)] public int BatchThreads;
        [FieldOffset(0x34)] public int FlashAttention; // llama_flash_attn_type: -1 auto, 0 disabled
        [FieldOffset(0x68)] public int KeyCacheType;   // ggml_type of the K cache (default F16 = 1)
        [FieldOffset(0x6c)] public int ValueCacheType; // ggml_type of the V cache (default F16 = 1)
    }

    /// <summary>llama_batch: n_tokens, then token, embd, pos, n_seq_id, seq_id, logits pointers.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Batch
    {
        public int TokenCount;
        public int* Tokens;
        public float* Embeddings;
        public int* Positions;
        public int* SequenceIdCounts;
        public int** SequenceIds;
        public sbyte* Outputs;
    }

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial void llama_backend_init();

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial void llama_log_set(delegate* unmanaged[Cdecl]<int, byte*, void*, void> callback, void* userData);

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial ModelParams llama_model_default_params();

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial ContextParams llama_context_default_params();

    [LibraryImport(LlamaCppLibraries.Llama, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint llama_model_load_from_file(string path, ModelParams parameters);

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial void llama_model_free(nint model);

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial nint llama_init_from_model(nint model, ContextParams parameters);

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial void llama_free(nint context);

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial uint llama_n_ctx(nint context);

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial uint llama_n_batch(nint context);

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial uint llama_n_ubatch(nint context);

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial int llama_n_threads(nint context);

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial nint llama_model_get_vocab(nint model);

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial int llama_vocab_n_tokens(nint vocab);

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial int llama_model_n_embd(nint model);

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial int llama_model_n_layer(nint model);

    [LibraryImport(LlamaCppLibraries.Llama, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int llama_model_meta_val_str(nint model, string key, byte* buffer, nuint bufferSize);

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial int llama_tokenize(nint vocab, byte* text, int textLength, int* tokens, int maxTokens,
        [MarshalAs(UnmanagedType.U1)] bool addSpecial, [MarshalAs(UnmanagedType.U1)] bool parseSpecial);

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial int llama_detokenize(nint vocab, int* tokens, int tokenCount, byte* text, int maxLength,
        [MarshalAs(UnmanagedType.U1)] bool removeSpecial, [MarshalAs(UnmanagedType.U1)] bool unparseSpecial);

    [LibraryImport(LlamaCppLibraries.Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool llama_vocab_is_eog(nint vocab, int token);

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial int llama_vocab_eos(nint vocab);

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial byte* llama_model_chat_template(nint model, byte* name);

    /// <summary>llama_chat_message: role and content, both UTF-8 C strings.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ChatMessage
    {
        public byte* Role;
        public byte* Content;
    }

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial int llama_chat_apply_template(byte* template, ChatMessage* messages, nuint count,
        [MarshalAs(UnmanagedType.U1)] bool addAssistant, byte* buffer, int length);

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial int llama_decode(nint context, Batch batch);

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial float* llama_get_logits_ith(nint context, int index);

    [LibraryImport(LlamaCppLibraries.Llama, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint llama_adapter_lora_init(nint model, string path);

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial void llama_adapter_lora_free(nint adapter);

    [LibraryImport(LlamaCppLibraries.Llama)]
    internal static partial int llama_set_adapters_lora(nint context, nint* adapters, nuint count, float* scales);
}
