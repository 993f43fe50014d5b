using System.Buffers.Binary;
using System.Text;
using Kefu.Model.Configuration;
using Kefu.Model.Runtime;
using Kefu.Model.Safetensors;
using Kefu.Testing;
using static TorchSharp.torch;

namespace Kefu.Model.Tests.Safetensors;

/// <summary>Every way a checkpoint can fail to fit gets an error that says which file and which tensor.</summary>
public sealed class CheckpointErrorTests
{
    [Fact]
    public void Load_CheckpointMissingATensor_NamesIt()
    {
        using var folder = SavedTinyModel(out _);
        RewriteWithout(folder.Path, "model.layers.1.mlp.up_proj.weight");

        var error = Should.Throw<SafetensorsFormatException>(() => ModelFolder.Load(folder.Path));

        error.Message.ShouldContain("missing from the checkpoint (1): model.layers.1.mlp.up_proj.weight");
    }

    [Fact]
    public void Load_CheckpointWithAnExtraTensor_NamesIt()
    {
        using var folder = SavedTinyModel(out _);
        RewriteWith(folder.Path, "model.layers.9.extra.weight", ones(3));

        var error = Should.Throw<SafetensorsFormatException>(() => ModelFolder.Load(folder.Path));

        error.Message.ShouldContain("in the checkpoint but not in the model (1): model.layers.9.extra.weight");
    }

    [Fact]
    public void Load_TensorOfWrongShape_NamesBothShapes()
    {
        using var folder = SavedTinyModel(out _);
        RewriteWith(folder.Path, "model.norm.weight", ones(65));

        var error = Should.Throw<SafetensorsFormatException>(() => ModelFolder.Load(folder.Path));

        error.Message.ShouldContain("model.norm.weight: checkpoint [65], model [64]");
    }

    [Fact]
    public void Load_ConfigThatDisagreesWithTheWeights_ReportsEveryMismatch()
    {
        using var folder = SavedTinyModel(out var config);
        (config with { IntermediateSize = 96 }).Save(folder.Path);

        var error = Should.Throw<SafetensorsFormatException>(() => ModelFolder.Load(folder.Path));

        error.Message.ShouldContain("wrong shape (6)");
    }

    [Fact]
    public void Open_TruncatedFile_SaysTruncatedAndNamesTheTensor()
    {
        using var folder = new TempDirectory();
        var path = folder.File("model.safetensors");
        using (var scope = NewDisposeScope())
            SafetensorsWriter.WriteTensors(path, [new("a", ones(4)), new("b", ones(4))]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^5]);

        var error = Should.Throw<SafetensorsFormatException>(() => SafetensorsFile.Open(path));

        error.Message.ShouldContain(path);
        error.Message.ShouldContain("truncated");
        error.Message.ShouldContain("'b'");
    }

    [Fact]
    public void Open_HeaderLengthBeyondTheFile_IsABadHeaderNotAnAllocation()
    {
        using var folder = new TempDirectory();
        var path = folder.File("model.safetensors");
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue - 3);
        File.WriteAllBytes(path, bytes);

        Should.Throw<SafetensorsFormatException>(() => SafetensorsFile.Open(path)).Message.ShouldContain("bad header");
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}""", "needs 8")]
    [InlineData("""{"a":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}}""", "'Q4' is not supported")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", "not a non-negative integer")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", "before start")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}""", "overlap")]
    [InlineData("""{"__metadata__":{"format":1}}""", "must be a string")]
    [InlineData("""[1,2]""", "expected a JSON object")]
    [InlineData("""{"a":""", "not valid JSON")]
    public void Parse_BadHeader_SaysWhatIsWrong(string json, string expected)
    {
        var error = Should.Throw<SafetensorsFormatException>(() => SafetensorsHeader.Parse(Encoding.UTF8.GetBytes(json), 8, "f.safetensors"));

        error.Message.ShouldContain("f.safetensors");
        error.Message.ShouldContain(expected);
    }

    [Fact]
    public void Open_FolderWithoutWeights_SaysWhatItLookedFor()
    {
        using var folder = new TempDirectory();

        Should.Throw<SafetensorsFormatException>(() => SafetensorsCheckpoint.Open(folder.Path)).Message.ShouldContain("model.safetensors.index.json");
    }

    private static TempDirectory SavedTinyModel(out Qwen2Config config)
    {
        var folder = new TempDirectory();
        using var model = TinyModels.Create(tied: true);
        ModelFolder.Save(model, folder.Path);
        config = model.Config;
        return folder;
    }

    private static void RewriteWithout(string folder, string name) => Rewrite(folder, tensors => tensors.Remove(name));

    private static void RewriteWith(string folder, string name, Tensor value) => Rewrite(folder, tensors => tensors[name] = value);

    private static void Rewrite(string folder, Action<Dictionary<string, Tensor>> change)
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(folder, "model.safetensors");
        Dictionary<string, Tensor> tensors;
        using (var file = SafetensorsFile.Open(path))
            tensors = file.Header.Tensors.Keys.ToDictionary(n => n, n => file.Read(n));
        change(tensors);
        SafetensorsWriter.WriteTensors(path, tensors);
    }
}
