using System.Buffers.Binary;
using System.Text;
using Kefu.Model.Safetensors;

namespace Kefu.Model.Tests.Safetensors;

/// <summary>
/// Bounded fuzzing of the header reader: random bytes and mutations of a valid file must end in a
/// SafetensorsFormatException (or a valid header), never another exception, a hang or a huge allocation.
/// </summary>
public sealed class SafetensorsHeaderFuzzTests
{
    private const int Cases = 2000;

    [Fact]
    public void Read_RandomBytes_OnlyEverThrowsSafetensorsFormatException()
    {
        var random = new Random(20240611);
        for (var i = 0; i < Cases; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            if (bytes.Length >= 8 && random.Next(2) == 0)
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)random.Next(0, bytes.Length));
            Survives(bytes, $"random case {i}");
        }
    }

    [Fact]
    public void Read_MutatedValidFiles_OnlyEverThrowsSafetensorsFormatException()
    {
        var random = new Random(7);
        var valid = ValidFile();
        var parsed = 0;
        for (var i = 0; i < Cases; i++)
        {
            var bytes = (byte[])valid.Clone();
            var mutations = random.Next(1, 4);
            for (var m = 0; m < mutations; m++)
                bytes = Mutate(bytes, random);
            if (Survives(bytes, $"mutation case {i}"))
                parsed++;
        }
        // Some mutations (inside the data, or harmless whitespace) leave a valid file: the fuzzer reaches the parser's
        // success path too, not only its first check.
        parsed.ShouldBeGreaterThan(0);
    }

    private static bool Survives(byte[] bytes, string what)
    {
        using var stream = new MemoryStream(bytes);
        try
        {
            SafetensorsHeader.Read(stream, bytes.Length, what);
            return true;
        }
        catch (SafetensorsFormatException)
        {
            return false;
        }
        catch (Exception e)
        {
            throw new ShouldAssertException($"{what}: {e.GetType().Name}: {e.Message}\n{Convert.ToHexString(bytes)}", e);
        }
    }

    private static byte[] ValidFile()
    {
        const string json = """{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"b":{"dtype":"BF16","shape":[3],"data_offsets":[16,22]}}""";
        var header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + 22];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        return bytes;
    }

    private static byte[] Mutate(byte[] bytes, Random random)
    {
        var tokens = new[] { "{", "}", "[", "]", ",", ":", "\"", "-1", "1e400", "99999999999999999999", "null", "\\u0000", "\"dtype\"", "\"F16\"", "\xff" };
        if (bytes.Length < 8) // truncated below the length field: only growing it back makes sense
            return [.. bytes, (byte)random.Next(256)];
        switch (random.Next(6))
        {
            case 0: // flip a byte
                if (bytes.Length > 0)
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1: // set a byte of the header length
                bytes[random.Next(8)] = (byte)random.Next(256);
                return bytes;
            case 2: // truncate
                return bytes[..random.Next(bytes.Length + 1)];
            case 3: // insert a JSON-ish token into the header and fix the length so parsing goes deep
            {
                var headerLength = (int)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(bytes), (ulong)(bytes.Length - 8));
                var at = 8 + random.Next(headerLength + 1);
                var token = Encoding.UTF8.GetBytes(tokens[random.Next(tokens.Length)]);
                var result = new byte[bytes.Length + token.Length];
                Array.Copy(bytes, result, at);
                token.CopyTo(result, at);
                Array.Copy(bytes, at, result, at + token.Length, bytes.Length - at);
                BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)(headerLength + token.Length));
                return result;
            }
            case 4: // delete a run of header bytes and fix the length
            {
                var headerLength = (int)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(bytes), (ulong)(bytes.Length - 8));
                if (headerLength == 0)
                    return bytes;
                var at = 8 + random.Next(headerLength);
                var count = Math.Min(random.Next(1, 6), 8 + headerLength - at);
                var result = bytes[..at].Concat(bytes[(at + count)..]).ToArray();
                BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)(headerLength - count));
                return result;
            }
            default: // append garbage
            {
                var extra = new byte[random.Next(1, 16)];
                random.NextBytes(extra);
                return [.. bytes, .. extra];
            }
        }
    }
}
