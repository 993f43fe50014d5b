using System.Text;
using Kefu.Export.Gguf;
using Kefu.Export.Imatrix;
using Kefu.Testing;
using Kefu.Testing.LlamaCpp;

namespace Kefu.Export.Tests.Imatrix;

public sealed class ImatrixFileTests
{
    private static ImportanceMatrix Sample() => new(
        new Dictionary<string, float[]>
        {
            ["blk.0.attn_q.weight"] = [0.5f, 2f, 0.125f, 8f],
            ["blk.0.ffn_down.weight"] = [1f, 3f],
        },
        "data/train.jsonl", chunks: 3, tokens: 40);

    [Fact]
    public void WriteThenRead_GgufImatrix_GivesTheSameMeansAndProvenance()
    {
        using var temp = new TempDirectory();
        ImatrixFile.Write(temp.File("imatrix.gguf"), Sample());

        var read = ImatrixFile.Read(temp.File("imatrix.gguf"));

        read.Entries.Keys.Order(StringComparer.Ordinal).ShouldBe(["blk.0.attn_q.weight", "blk.0.ffn_down.weight"]);
        read.For("blk.0.attn_q.weight").ShouldBe([0.5f, 2f, 0.125f, 8f]);
        read.For("blk.0.ffn_down.weight").ShouldBe([1f, 3f]);
        read.Dataset.ShouldBe("data/train.jsonl");
        read.Chunks.ShouldBe(3);
        read.Tokens.ShouldBe(40);
        read.SourceFile.ShouldBe(Path.GetFullPath(temp.File("imatrix.gguf")));
    }

    [Fact]
    public void Write_GgufImatrix_HasLlamaImatrixsLayoutAsGgmlReadsIt()
    {
        GgmlReference.RequireAvailable();
        using var temp = new TempDirectory();
        ImatrixFile.Write(temp.File("imatrix.gguf"), Sample());

        var gguf = GgufReference.Read(temp.File("imatrix.gguf"));

        gguf.Keys["general.type"].Value.ShouldBe("imatrix");
        gguf.Keys.ShouldContainKey("imatrix.datasets");
        gguf.Keys.ShouldContainKey("imatrix.chunk_count");
        gguf.Keys.ShouldContainKey("imatrix.chunk_size");
        var sums = gguf.Tensors.Single(t => t.Name == "blk.0.attn_q.weight.in_sum2");
        sums.Type.ShouldBe(0);
        sums.Dimensions.Take(2).ShouldBe([4L, 1L]);
        gguf.Tensors.Single(t => t.Name == "blk.0.attn_q.weight.counts").Dimensions.Take(2).ShouldBe([1L, 1L]);
        GgufFile.Read(temp.File("imatrix.gguf")).ReadFloats("blk.0.attn_q.weight.in_sum2").ShouldBe([20f, 80f, 5f, 320f], "sums = mean × count");
    }

    [Fact]
    public void Read_LegacyDat_DividesByTheCallCount()
    {
        using var temp = new TempDirectory();
        using (var writer = new BinaryWriter(File.Create(temp.File("imatrix.dat")), Encoding.UTF8))
        {
            writer.Write(1);
            var name = Encoding.UTF8.GetBytes("blk.2.ffn_up.weight");
            writer.Write(name.Length);
            writer.Write(name);
            writer.Write(4);        // ncall
            writer.Write(3);        // nval
            writer.Write(8f);       // mean × ncall
            writer.Write(2f);
            writer.Write(0.4f);
            writer.Write(4);        // chunks
            var dataset = Encoding.UTF8.GetBytes("wiki.train.raw");
            writer.Write(dataset.Length);
            writer.Write(dataset);
        }

        var read = ImatrixFile.Read(temp.File("imatrix.dat"));

        read.For("blk.2.ffn_up.weight").ShouldBe([2f, 0.5f, 0.1f]);
        read.Chunks.ShouldBe(4);
        read.Dataset.ShouldBe("wiki.train.raw");
    }

    [Fact]
    public void Read_TruncatedLegacyDat_FailsNamingTheFile()
    {
        using var temp = new TempDirectory();
        File.WriteAllBytes(temp.File("broken.dat"), [1, 0, 0, 0, 5, 0, 0, 0, (byte)'b']);

        Should.Throw<GgufFormatException>(() => ImatrixFile.Read(temp.File("broken.dat"))).Message.ShouldContain("broken.dat");
    }

    [Fact]
    public void Read_ModelGguf_IsRefusedAsNotAnImatrix()
    {
        using var temp = new TempDirectory();
        GgufWriter.Write(temp.File("model.gguf"), [new("general.type", GgufValue.Of("model"))], []);

        Should.Throw<GgufFormatException>(() => ImatrixFile.Read(temp.File("model.gguf"))).Message.ShouldContain("not 'imatrix'");
    }
}
