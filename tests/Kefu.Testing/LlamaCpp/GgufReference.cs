using System.Runtime.InteropServices;

namespace Kefu.Testing.LlamaCpp;

/// <summary>A GGUF file read by ggml's own gguf reader (gguf_init_from_file, metadata only).</summary>
public sealed class GgufReference
{
    private GgufReference(uint version, long alignment, long dataOffset, IReadOnlyDictionary<string, GgufReferenceKey> keys, IReadOnlyList<GgufReferenceTensor> tensors)
    {
        Version = version;
        Alignment = alignment;
        DataOffset = dataOffset;
        Keys = keys;
        Tensors = tensors;
    }

    public uint Version { get; }
    public long Alignment { get; }
    public long DataOffset { get; }
    public IReadOnlyDictionary<string, GgufReferenceKey> Keys { get; }
    public IReadOnlyList<GgufReferenceTensor> Tensors { get; }

    /// <summary>Reads <paramref name="path"/>; throws with ggml's own complaint when ggml rejects the file.</summary>
    public static unsafe GgufReference Read(string path)
    {
        LlamaCppLibraries.Require();
        var context = GgmlNative.gguf_init_from_file(path, new GgmlNative.GgufInitParams { NoAlloc = 1 });
        if (context == 0)
            throw new InvalidDataException($"{path}: ggml's gguf reader rejects the file: {LlamaCppLog.Recent()}");
        try
        {
            var keys = new Dictionary<string, GgufReferenceKey>(StringComparer.Ordinal);
            var keyCount = GgmlNative.gguf_get_n_kv(context);
            for (long id = 0; id < keyCount; id++)
            {
                var key = Text(GgmlNative.gguf_get_key(context, id));
                var type = GgmlNative.gguf_get_kv_type(context, id);
                if (type == ArrayType)
                {
                    var elementType = GgmlNative.gguf_get_arr_type(context, id);
                    keys[key] = new GgufReferenceKey(key, type, elementType, ReadArray(context, id, elementType));
                }
                else
                {
                    keys[key] = new GgufReferenceKey(key, type, null, type == StringType
                        ? Text(GgmlNative.gguf_get_val_str(context, id))
                        : ReadScalar(GgmlNative.gguf_get_val_data(context, id), type));
                }
            }
            var tensors = new List<GgufReferenceTensor>();
            var tensorCount = GgmlNative.gguf_get_n_tensors(context);
            for (long id = 0; id < tensorCount; id++)
            {
                var ne = GgmlNative.gguf_get_tensor_ne(context, id);
                tensors.Add(new GgufReferenceTensor(Text(GgmlNative.gguf_get_tensor_name(context, id)), GgmlNative.gguf_get_tensor_type(context, id),
                    [ne[0], ne[1], ne[2], ne[3]], (long)GgmlNative.gguf_get_tensor_offset(context, id), (long)GgmlNative.gguf_get_tensor_size(context, id)));
            }
            return new GgufReference(GgmlNative.gguf_get_version(context), (long)GgmlNative.gguf_get_alignment(context),
                (long)GgmlNative.gguf_get_data_offset(context), keys, tensors);
        }
        finally
        {
            GgmlNative.gguf_free(context);
        }
    }

    private const int StringType = 8, ArrayType = 9;

    private static unsafe object ReadArray(nint context, long id, int elementType)
    {
        var count = (int)GgmlNative.gguf_get_arr_n(context, id);
        if (elementType == StringType)
        {
            var strings = new string[count];
            for (var i = 0; i < count; i++)
                strings[i] = Text(GgmlNative.gguf_get_arr_str(context, id, (nuint)i));
            return strings;
        }
        var data = GgmlNative.gguf_get_arr_data(context, id);
        var values = new object[count];
        var size = ScalarSize(elementType);
        for (var i = 0; i < count; i++)
            values[i] = ReadScalar((byte*)data + (long)i * size, elementType);
        return elementType switch
        {
            4 => values.Cast<uint>().ToArray(),
            5 => values.Cast<int>().ToArray(),
            6 => values.Cast<float>().ToArray(),
            _ => values,
        };
    }

    private static int ScalarSize(int type) => type switch
    {
        0 or 1 or 7 => 1,
        2 or 3 => 2,
        4 or 5 or 6 => 4,
        10 or 11 or 12 => 8,
        _ => throw new InvalidDataException($"gguf type {type} is not a scalar."),
    };

    private static unsafe object ReadScalar(void* data, int type) => type switch
    {
        0 => *(byte*)data,
        1 => *(sbyte*)data,
        2 => *(ushort*)data,
        3 => *(short*)data,
        4 => *(uint*)data,
        5 => *(int*)data,
        6 => *(float*)data,
        7 => *(byte*)data != 0,
        10 => *(ulong*)data,
        11 => *(long*)data,
        12 => *(double*)data,
        _ => throw new InvalidDataException($"gguf type {type} is not a scalar."),
    };

    private static unsafe string Text(byte* text) => Marshal.PtrToStringUTF8((nint)text) ?? "";
}
