using System.Globalization;

namespace Kefu.Export.Gguf;

/// <summary>
/// One typed metadata value. Scalars hold their CLR value (uint for UInt32, float for Float32, string, bool…);
/// arrays hold an <see cref="Array"/> of the element type's CLR values with <see cref="ElementType"/> set.
/// </summary>
public sealed record GgufValue(GgufValueType Type, object Value, GgufValueType? ElementType = null)
{
    public static GgufValue Of(string value) => new(GgufValueType.String, value);

    public static GgufValue Of(uint value) => new(GgufValueType.UInt32, value);

    public static GgufValue Of(int value) => new(GgufValueType.Int32, value);

    public static GgufValue Of(float value) => new(GgufValueType.Float32, value);

    public static GgufValue Of(bool value) => new(GgufValueType.Bool, value);

    public static GgufValue Strings(IReadOnlyList<string> values) => new(GgufValueType.Array, values.ToArray(), GgufValueType.String);

    public static GgufValue Int32s(IReadOnlyList<int> values) => new(GgufValueType.Array, values.ToArray(), GgufValueType.Int32);

    /// <summary>The value as a string, for strings only.</summary>
    public string AsString() => Value as string ?? throw new InvalidOperationException($"GGUF value is {Type}, not a string.");

    /// <summary>An integer value of any width as a long.</summary>
    public long AsInteger() => Type switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.UInt16 or GgufValueType.Int16 or GgufValueType.UInt32
            or GgufValueType.Int32 or GgufValueType.Int64 or GgufValueType.UInt64 => Convert.ToInt64(Value, CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"GGUF value is {Type}, not an integer."),
    };

    /// <summary>A floating-point value as a double.</summary>
    public double AsDouble() => Type is GgufValueType.Float32 or GgufValueType.Float64
        ? Convert.ToDouble(Value, CultureInfo.InvariantCulture)
        : throw new InvalidOperationException($"GGUF value is {Type}, not a float.");
}
