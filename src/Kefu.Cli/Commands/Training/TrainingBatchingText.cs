using System.Globalization;
using Kefu.Training.Running;

namespace Kefu.Cli.Commands.Training;

/// <summary>The line <c>kefu train</c> prints about batching: rows, padding, and what packing would change.</summary>
internal static class TrainingBatchingText
{
    public static string Describe(LoraTrainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        var current = trainer.Padding();
        if (trainer.PackingLength is { } length)
        {
            var unpacked = trainer.Padding(packed: false);
            return string.Create(CultureInfo.InvariantCulture,
                $"Packing: {current.Samples} samples in {current.Rows} rows of up to {length} tokens, {current.PaddingFraction:P1} padding ({current.Slots:N0} token slots per epoch; unpacked {unpacked.Rows} rows, {unpacked.PaddingFraction:P1} padding, {unpacked.Slots:N0} slots).");
        }
        var packed = trainer.Padding(packed: true);
        return string.Create(CultureInfo.InvariantCulture,
            $"Batching: {current.Rows} rows, {current.PaddingFraction:P1} padding ({current.Slots:N0} token slots per epoch; --packing: {packed.Rows} rows, {packed.PaddingFraction:P1} padding).");
    }
}
