using System.Text;
using Kefu.Export.Gguf;
using Kefu.Testing;

namespace Kefu.Export.Tests;

public sealed class GgufFileTests
{
    [Fact]
    public void WriteThenRead_MetadataOfEveryKindAndFourTensorTypes_ReadBackEqual()
    {
        using var temp = new TempDirectory();
        var path = temp.File("t.gguf");
        var values = Enumerable.Range(0, 64).Select(i => (float)Math.Sin(i) * 3).ToArray();
        List<KeyValuePair<string, GgufValue>> metadata =
        [
            new("general.architecture", GgufValue.Of("qwen2")),
            new("test.u32", GgufValue.Of(7u)),
            new("test.i32", GgufValue.Of(-5)),
            new("test.f32", GgufValue.Of(1e-6f)),
            new("test.bool", GgufValue.Of(true)),
            new("test.strings", GgufValue.Strings(["a", "中文", ""])),
            new("test.ints", GgufValue.Int32s([1, 3, 5])),
        ];
        List<GgufTensorSource> tensors =
        [
            new("a.f32", [3], GgmlType.F32, () => GgmlQuants.FromFloats(values.AsSpan(0, 3), GgmlType.F32)),
            new("b.f16", [32, 2], GgmlType.F16, () => GgmlQuants.FromFloats(values, GgmlType.F16)),
            new("c.q8", [32, 2], GgmlType.Q8_0, () => GgmlQuants.FromFloats(values, GgmlType.Q8_0)),
            new("d.q4", [64], GgmlType.Q4_0, () => GgmlQuants.FromFloats(values, GgmlType.Q4_0)),
        ];

        GgufWriter.Write(path, metadata, tensors);
        var file = GgufFile.Read(path);

        var head = File.ReadAllBytes(path).AsSpan(0, 8).ToArray();
        Encoding.ASCII.GetString(head, 0, 4).ShouldBe("GGUF");
        BitConverter.ToUInt32(head, 4).ShouldBe(3u);
        file.Version.ShouldBe(3u);
        file.Metadata.Select(m => m.Key).ShouldBe(metadata.Select(m => m.Key));
        file["test.u32"].Value.ShouldBe(7u);
        file["test.i32"].Value.ShouldBe(-5);
        file["test.f32"].Value.ShouldBe(1e-6f);
        file["test.bool"].Value.ShouldBe(true);
        ((string[])file["test.strings"].Value).ShouldBe(["a", "中文", ""]);
        ((int[])file["test.ints"].Value).ShouldBe([1, 3, 5]);
        (file.DataOffset % 32).ShouldBe(0);
        file.Tensors.Select(t => t.Offset).ShouldBe([0L, 32L, 160L, 256L]); // 12 B → 32, +128 B → 160, +68 B → 256
        file.Tensors[1].Dimensions.ShouldBe([32L, 2L]);
        file.ReadFloats("a.f32").ShouldBe(values[..3]);
        file.ReadBytes("c.q8").ShouldBe(GgmlQuants.QuantizeQ8_0(values));
        file.ReadBytes("d.q4").ShouldBe(GgmlQuants.QuantizeQ4_0(values));
        new FileInfo(path).Length.ShouldBe(file.DataOffset + 256 + 64); // 36 bytes of Q4_0, padded to 32
    }

    [Fact]
    public void Read_TruncatedFile_FailsNamingTheFile()
    {
        using var temp = new TempDirectory();
        var path = temp.File("t.gguf");
        GgufWriter.Write(path, [new("general.architecture", GgufValue.Of("qwen2"))], [new("x", [32], GgmlType.F32, () => new byte[128])]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 10)]);

        var error = Should.Throw<GgufFormatException>(() => GgufFile.Read(path));

        error.Message.ShouldContain(path);
        error.Message.ShouldContain("'x'");
    }

    [Fact]
    public void Read_NotGguf_FailsOnTheMagic()
    {
        using var temp = new TempDirectory();
        var path = temp.File("t.gguf");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("GGML and more bytes here"));

        Should.Throw<GgufFormatException>(() => GgufFile.Read(path)).Message.ShouldContain("not a GGUF file");
    }
}
