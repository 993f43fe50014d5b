using System.Runtime.InteropServices;
using System.Text;

namespace Kefu.Testing.LlamaCpp;

/// <summary>
/// A GGUF model loaded by llama.cpp on the CPU: its tokenizer, and the logits of every position of a token
/// sequence, optionally with LoRA adapters applied. Each evaluation runs in a fresh context (empty KV cache) with
/// flash attention off and an F32 KV cache, so the only rounding llama.cpp adds is its own matmul arithmetic.
/// </summary>
public sealed class LlamaCppModel : IDisposable
{
    private readonly List<LlamaCppLoraAdapter> _adapters = [];
    private nint _model;

    private LlamaCppModel(nint model, string path)
    {
        _model = model;
        Path = path;
        Vocabulary = LlamaNative.llama_model_get_vocab(model);
        VocabularySize = LlamaNative.llama_vocab_n_tokens(Vocabulary);
    }

    public string Path { get; }

    /// <summary>Tokens in the vocabulary (the GGUF's tokenizer.ggml.tokens).</summary>
    public int VocabularySize { get; }

    public int EmbeddingLength => LlamaNative.llama_model_n_embd(Live);

    public int LayerCount => LlamaNative.llama_model_n_layer(Live);

    private nint Vocabulary { get; }

    private nint Live => _model != 0 ? _model : throw new ObjectDisposedException(nameof(LlamaCppModel));

    /// <summary>Loads <paramref name="path"/> (CPU only); throws with llama.cpp's own complaint when it refuses.</summary>
    public static LlamaCppModel Load(string path)
    {
        LlamaCppLibraries.Require();
        var parameters = LlamaNative.llama_model_default_params();
        if (parameters.GpuLayers != -1)
            throw new InvalidOperationException($"llama_model_params default n_gpu_layers is {parameters.GpuLayers}, not -1: the struct layout does not match these libraries.");
        var model = LlamaNative.llama_model_load_from_file(path, parameters);
        if (model == 0)
            throw new InvalidDataException($"{path}: llama.cpp refuses to load the model: {LlamaCppLog.Recent()}");
        return new LlamaCppModel(model, path);
    }

    /// <summary>A metadata value as llama.cpp reads it (scalars and strings, rendered as text), or null.</summary>
    public unsafe string? Metadata(string key)
    {
        var buffer = new byte[4096];
        fixed (byte* text = buffer)
        {
            var length = LlamaNative.llama_model_meta_val_str(Live, key, text, (nuint)buffer.Length);
            return length < 0 ? null : Encoding.UTF8.GetString(buffer, 0, Math.Min(length, buffer.Length - 1));
        }
    }

    /// <summary>llama.cpp's tokenization of <paramref name="text"/>; with <paramref name="parseSpecial"/> control-token text becomes control tokens.</summary>
    public unsafe int[] Tokenize(string text, bool addSpecial = false, bool parseSpecial = true)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var tokens = new int[bytes.Length + 8];
        while (true)
        {
            int count;
            fixed (byte* input = bytes)
            fixed (int* output = tokens)
                count = LlamaNative.llama_tokenize(Vocabulary, input, bytes.Length, output, tokens.Length, addSpecial, parseSpecial);
            if (count >= 0)
                return tokens[..count];
            if (-count <= tokens.Length)
                throw new InvalidOperationException($"llama_tokenize failed ({count}) on a {bytes.Length}-byte text: {LlamaCppLog.Recent()}");
            tokens = new int[-count];
        }
    }

    /// <summary>llama.cpp's text for <paramref name="tokens"/>; <paramref name="renderSpecial"/> writes control tokens out.</summary>
    public unsafe string Detokenize(IReadOnlyList<int> tokens, bool renderSpecial = true)
    {
        var ids = tokens.ToArray();
        var buffer = new byte[ids.Length * 16 + 16];
        while (true)
        {
            int length;
            fixed (int* input = ids)
            fixed (byte* output = buffer)
                length = LlamaNative.llama_detokenize(Vocabulary, input, ids.Length, output, buffer.Length, removeSpecial: false, renderSpecial);
            if (length >= 0)
                return Encoding.UTF8.GetString(buffer, 0, length);
            if (-length <= buffer.Length)
                throw new InvalidOperationException($"llama_detokenize failed ({length}): {LlamaCppLog.Recent()}");
            buffer = new byte[-length];
        }
    }

    /// <summary>The end-of-sequence token llama.cpp read (tokenizer.ggml.eos_token_id).</summary>
    public int EndOfSequenceToken => LlamaNative.llama_vocab_eos(Vocabulary);

    /// <summary>Whether generation stops at <paramref name="token"/> (llama.cpp's end-of-generation set).</summary>
    public bool IsEndOfGeneration(int token) => LlamaNative.llama_vocab_is_eog(Vocabulary, token);

    /// <summary>The GGUF's tokenizer.chat_template as llama.cpp returns it, or null.</summary>
    public unsafe string? ChatTemplate =>
        LlamaNative.llama_model_chat_template(Live, null) is var text && text is not null ? Marshal.PtrToStringUTF8((nint)text) : null;

    /// <summary>
    /// llama.cpp's own rendering of a conversation with <paramref name="template"/> (llama_chat_apply_template: it
    /// recognises known templates such as ChatML by their text rather than running the Jinja).
    /// </summary>
    public static unsafe string ApplyChatTemplate(string template, IReadOnlyList<KeyValuePair<string, string>> messages, bool addAssistant)
    {
        ArgumentNullException.ThrowIfNull(messages);
        LlamaCppLibraries.Require();
        var strings = new List<nint>();
        try
        {
            nint Utf8(string text) { var pointer = Marshal.StringToCoTaskMemUTF8(text); strings.Add(pointer); return pointer; }
            var native = messages.Select(m => new LlamaNative.ChatMessage { Role = (byte*)Utf8(m.Key), Content = (byte*)Utf8(m.Value) }).ToArray();
            var templateText = (byte*)Utf8(template);
            var buffer = new byte[4096];
            while (true)
            {
                int length;
                fixed (LlamaNative.ChatMessage* input = native)
                fixed (byte* output = buffer)
                    length = LlamaNative.llama_chat_apply_template(templateText, input, (nuint)native.Length, addAssistant, output, buffer.Length);
                if (length < 0)
                    throw new InvalidOperationException($"llama.cpp does not support this chat template ({length}): {LlamaCppLog.Recent()}");
                if (length <= buffer.Length)
                    return Encoding.UTF8.GetString(buffer, 0, length);
                buffer = new byte[length];
            }
        }
        finally
        {
            foreach (var pointer in strings)
                Marshal.FreeCoTaskMem(pointer);
        }
    }

    /// <summary>Loads a GGUF LoRA adapter made for this model; throws with llama.cpp's complaint when it refuses.</summary>
    public LlamaCppLoraAdapter LoadAdapter(string path)
    {
        var handle = LlamaNative.llama_adapter_lora_init(Live, path);
        if (handle == 0)
            throw new InvalidDataException($"{path}: llama.cpp refuses the LoRA adapter: {LlamaCppLog.Recent()}");
        var adapter = new LlamaCppLoraAdapter(handle, path);
        _adapters.Add(adapter);
        return adapter;
    }

    /// <summary>
    /// The logits [position][vocabulary] llama.cpp computes for <paramref name="tokens"/> as one sequence starting
    /// at position 0, with <paramref name="adapter"/> (if any) applied at <paramref name="scale"/>.
    /// </summary>
    public unsafe float[][] EvaluateLogits(IReadOnlyList<int> tokens, LlamaCppLoraAdapter? adapter = null, float scale = 1f)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Count == 0)
            throw new ArgumentException("Nothing to evaluate.", nameof(tokens));
        var context = CreateContext(tokens.Count);
        try
        {
            if (adapter is not null)
            {
                var handle = adapter.Handle != 0 ? adapter.Handle : throw new ObjectDisposedException(nameof(LlamaCppLoraAdapter));
                if (LlamaNative.llama_set_adapters_lora(context, &handle, 1, &scale) != 0)
                    throw new InvalidOperationException($"llama_set_adapters_lora refused {adapter.Path}: {LlamaCppLog.Recent()}");
            }
            var ids = tokens.ToArray();
            var positions = Enumerable.Range(0, ids.Length).ToArray();
            var sequenceCounts = Enumerable.Repeat(1, ids.Length).ToArray();
            var outputs = Enumerable.Repeat((sbyte)1, ids.Length).ToArray();
            var sequence = 0;
            var sequencePointers = new nint[ids.Length];
            var logits = new float[ids.Length][];
            fixed (int* idPointer = ids)
            fixed (int* positionPointer = positions)
            fixed (int* countPointer = sequenceCounts)
            fixed (sbyte* outputPointer = outputs)
            fixed (nint* sequencePointer = sequencePointers)
            {
                for (var i = 0; i < sequencePointers.Length; i++)
                    sequencePointers[i] = (nint)(&sequence);
                var batch = new LlamaNative.Batch
                {
                    TokenCount = ids.Length, Tokens = idPointer, Positions = positionPointer, SequenceIdCounts = countPointer,
                    SequenceIds = (int**)sequencePointer, Outputs = outputPointer,
                };
                var status = LlamaNative.llama_decode(context, batch);
                if (status != 0)
                    throw new InvalidOperationException($"llama_decode returned {status}: {LlamaCppLog.Recent()}");
                for (var i = 0; i < ids.Length; i++)
                {
                    var row = LlamaNative.llama_get_logits_ith(context, i);
                    if (row is null)
                        throw new InvalidOperationException($"llama.cpp has no logits for position {i}: {LlamaCppLog.Recent()}");
                    logits[i] = new ReadOnlySpan<float>(row, VocabularySize).ToArray();
                }
            }
            return logits;
        }
        finally
        {
            LlamaNative.llama_free(context);
        }
    }

    public void Dispose()
    {
        foreach (var adapter in _adapters)
            adapter.Dispose();
        if (_model != 0)
        {
            LlamaNative.llama_model_free(_model);
            _model = 0;
        }
    }

    private nint CreateContext(int tokenCount)
    {
        var parameters = LlamaNative.llama_context_default_params();
        // The defaults these bindings were written against; anything else means the struct layout moved.
        if (parameters.FlashAttention != -1 || parameters.KeyCacheType != 1 || parameters.ValueCacheType != 1 || parameters.MaxSequences != 1)
            throw new InvalidOperationException("llama_context_params defaults are not the expected ones: the struct layout does not match these libraries.");
        var length = (uint)((tokenCount + 255) / 256 * 256);
        parameters.ContextLength = length;
        parameters.BatchSize = length;
        parameters.MicroBatchSize = length; // one micro-batch: every position's logits from one graph
        parameters.Threads = parameters.BatchThreads = Math.Max(1, Math.Min(Environment.ProcessorCount, 4));
        parameters.FlashAttention = 0;
        parameters.KeyCacheType = parameters.ValueCacheType = 0; // F32: no f16 rounding of keys and values
        var context = LlamaNative.llama_init_from_model(Live, parameters);
        if (context == 0)
            throw new InvalidOperationException($"llama.cpp could not create a context: {LlamaCppLog.Recent()}");
        if (LlamaNative.llama_n_ctx(context) < length || LlamaNative.llama_n_batch(context) != length || LlamaNative.llama_n_ubatch(context) != length
            || LlamaNative.llama_n_threads(context) != parameters.Threads)
        {
            LlamaNative.llama_free(context);
            throw new InvalidOperationException("The llama.cpp context does not report the parameters given: the struct layout does not match these libraries.");
        }
        return context;
    }
}
