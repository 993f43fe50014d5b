namespace Kefu.Testing.LlamaCpp;

/// <summary>A GGUF LoRA adapter loaded by llama.cpp for one <see cref="LlamaCppModel"/> (freed with it at the latest).</summary>
public sealed class LlamaCppLoraAdapter : IDisposable
{
    internal LlamaCppLoraAdapter(nint handle, string path)
    {
        Handle = handle;
        Path = path;
    }

    public string Path { get; }

    internal nint Handle { get; private set; }

    public void Dispose()
    {
        if (Handle == 0)
            return;
        LlamaNative.llama_adapter_lora_free(Handle);
        Handle = 0;
    }
}
