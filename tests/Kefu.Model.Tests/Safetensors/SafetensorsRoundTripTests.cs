using Kefu.Model.Safetensors;
using Kefu.Testing;
using static TorchSharp.torch;

namespace Kefu.Model.Tests.Safetensors;

public sealed class SafetensorsRoundTripTests
{
    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void WriteThenRead_GivesBackTheSameValuesShapeAndType(ScalarType type)
    {
        using var folder = new TempDirectory();
        using var scope = NewDisposeScope();
        var a = randn(3, 5).to(type);
        var b = arange(7, ScalarType.Float32).to(type);
        var path = folder.File("t.safetensors");

        SafetensorsWriter.WriteTensors(path, [new("a", a), new("b", b)], new Dictionary<string, string> { ["format"] = "pt" });
        using var file = SafetensorsFile.Open(path);

        file.Header.Metadata["format"].ShouldBe("pt");
        file.Info("a").Shape.ShouldBe([3L, 5]);
        file.Info("a").DType.ShouldBe(SafetensorsDTypes.FromScalarType(type));
        var readA = file.Read("a");
        readA.dtype.ShouldBe(type);
        TinyModels.MaxDifference(readA, a).ShouldBe(0.0);
        TinyModels.MaxDifference(file.Read("b"), b).ShouldBe(0.0);
    }

    [Fact]
    public void Write_ProducesTheDocumentedLayout_HeaderLengthJsonPaddedToEightThenData()
    {
        using var folder = new TempDirectory();
        using var scope = NewDisposeScope();
        var path = folder.File("t.safetensors");

        SafetensorsWriter.WriteTensors(path, [new("x", tensor(new float[] { 1f, 2f }))]);

        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BitConverter.ToUInt64(bytes, 0);
        (headerLength % 8).ShouldBe(0);
        var json = System.Text.Encoding.UTF8.GetString(bytes, 8, headerLength).TrimEnd(' ');
        json.ShouldBe("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""");
        BitConverter.ToSingle(bytes, 8 + headerLength).ShouldBe(1f);
        BitConverter.ToSingle(bytes, 8 + headerLength + 4).ShouldBe(2f);
        bytes.Length.ShouldBe(8 + headerLength + 8);
    }

    [Fact]
    public void CopyInto_BFloat16FileIntoFloat32Tensor_ConvertsTheType()
    {
        using var folder = new TempDirectory();
        using var scope = NewDisposeScope();
        var stored = tensor(new float[] { 0.5f, -2f, 3.25f }).to(ScalarType.BFloat16);
        var path = folder.File("t.safetensors");
        SafetensorsWriter.WriteTensors(path, [new("w", stored)]);
        var destination = zeros(3);

        using (var file = SafetensorsFile.Open(path))
            file.CopyInto("w", destination);

        destination.data<float>().ToArray().ShouldBe([0.5f, -2f, 3.25f]);
    }

    [Fact]
    public void Write_LeavesNoTemporaryFileBehind_AndReplacesAnOldFile()
    {
        using var folder = new TempDirectory();
        using var scope = NewDisposeScope();
        var path = folder.File("t.safetensors");
        File.WriteAllText(path, "old");

        SafetensorsWriter.WriteTensors(path, [new("x", ones(2))]);

        Directory.GetFiles(folder.Path).Select(Path.GetFileName).ShouldBe(["t.safetensors"]);
        using var file = SafetensorsFile.Open(path);
        file.Header.Tensors.Keys.ShouldBe(["x"]);
    }

    [Fact]
    public void Write_WhenProducingATensorFails_LeavesNoFile()
    {
        using var folder = new TempDirectory();
        var path = folder.File("t.safetensors");
        SafetensorsEntry failing = new("x", SafetensorsDType.F32, [2], () => throw new InvalidOperationException("boom"));

        Should.Throw<InvalidOperationException>(() => SafetensorsWriter.Write(path, [failing]));

        Directory.GetFiles(folder.Path).ShouldBeEmpty();
    }
}
