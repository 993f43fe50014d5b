using System.CommandLine;
using Kefu.Model.Runtime;
using Spectre.Console;
using static TorchSharp.torch;

namespace Kefu.Cli.Commands.Model;

/// <summary>
/// The --dtype, --device and --threads options of a verb that runs a model, and what they say once parsed: the compute
/// type and device to load into, and libtorch's thread count.
/// </summary>
internal sealed class ModelComputeOptions
{
    public Option<string> DType { get; } = ModelCliOptions.DType();

    public Option<string> Device { get; } = ModelCliOptions.Device();

    public Option<int?> Threads { get; } = ModelCliOptions.Threads();

    /// <summary>
    /// The compute type and device. Throws <see cref="ArgumentException"/> naming the option when --dtype or --device
    /// cannot be read.
    /// </summary>
    public (ScalarType Type, Device Device) Parse(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return (ModelCliOptions.ParseScalarType(parseResult.GetRequiredValue(DType)), TorchDevice.Parse(parseResult.GetRequiredValue(Device)));
    }

    /// <summary>
    /// <see cref="Parse"/>, then <see cref="ApplyThreads"/>; false, with the reason printed, when --dtype or --device is
    /// wrong or the verb found <paramref name="otherOptionError"/> in its own options (reported after these; the verb
    /// then exits with 2).
    /// </summary>
    public bool TryParse(ParseResult parseResult, IAnsiConsole console, out ScalarType type, out Device device, string? otherOptionError = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        try
        {
            (type, device) = Parse(parseResult);
            if (otherOptionError is not null)
                throw new ArgumentException(otherOptionError);
        }
        catch (ArgumentException e)
        {
            console.Error(e.Message);
            (type, device) = (default, null!);
            return false;
        }
        ApplyThreads(parseResult);
        return true;
    }

    /// <summary>Sets libtorch's threads when --threads is given (once the other options were found good).</summary>
    public void ApplyThreads(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        if (parseResult.GetValue(Threads) is { } count)
            TorchThreads.Set(count);
    }
}
