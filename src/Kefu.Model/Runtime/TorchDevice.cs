using TorchSharp;

namespace Kefu.Model.Runtime;

/// <summary>Parses the user's <c>--device</c> choice and says clearly when CUDA is asked for but absent.</summary>
public static class TorchDevice
{
    /// <summary>Returns the TorchSharp device for "cpu", "cuda" or "cuda:N"; "auto" picks CUDA when available.</summary>
    public static torch.Device Parse(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var normalised = name.Trim().ToLowerInvariant();
        if (normalised == "auto")
            return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (normalised.StartsWith("cuda", StringComparison.Ordinal) && !torch.cuda.is_available())
            throw new ArgumentException($"Device '{name}' was asked for, but this TorchSharp build has no CUDA device available (the project builds the CPU libtorch by default).", nameof(name));
        if (normalised != "cpu" && !normalised.StartsWith("cuda", StringComparison.Ordinal))
            throw new ArgumentException($"Unknown device '{name}': use cpu, cuda, cuda:N or auto.", nameof(name));
        return new torch.Device(normalised);
    }
}
