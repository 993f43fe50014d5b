using Kefu.Export.Gguf;
using Kefu.Export.Ollama;
using Kefu.Export.Qwen2;
using Kefu.Model.Lora;
using Kefu.Testing;
using static TorchSharp.torch;

namespace Kefu.Export.Tests;

public sealed class LoraAndOllamaExportTests
{
    [Fact]
    public void ExportLora_PeftAdapter_WritesGgufAdapterWithTransposedShapesAndAlpha()
    {
        using var temp = new TempDirectory();
        using var model = TinyModelFolders.CreateModel();
        using var adapter = LoraAdapter.Attach(model, new LoraConfig { Rank = 4, Alpha = 8, TargetModules = ["q_proj", "v_proj"] }, seed: 3);
        using (no_grad())
        {
            foreach (var (_, layer) in adapter.Layers)
                layer.lora_B.normal_(0, 0.1);
        }
        adapter.Save(temp.File("adapter"));
        var path = temp.File("adapter.gguf");

        LoraGgufExporter.Export(temp.File("adapter"), path, GgufOutputType.F32);
        var file = GgufFile.Read(path);

        file["general.type"].AsString().ShouldBe("adapter");
        file["adapter.type"].AsString().ShouldBe("lora");
        file["general.architecture"].AsString().ShouldBe("qwen2");
        file["adapter.lora.alpha"].AsDouble().ShouldBe(8.0);
        file.Tensors.Count.ShouldBe(8);
        file.Tensor("blk.0.attn_q.weight.lora_a").Dimensions.ShouldBe([64L, 4L]);
        file.Tensor("blk.0.attn_v.weight.lora_b").Dimensions.ShouldBe([4L, 32L]);
        var b = adapter.Layers.Single(l => l.Key == "model.layers.1.self_attn.v_proj").Value.lora_B.contiguous().data<float>().ToArray();
        file.ReadFloats("blk.1.attn_v.weight.lora_b").ShouldBe(b);
    }

    [Fact]
    public void ExportLora_RsLora_WritesTheAlphaThatGivesTheSameScaling()
    {
        using var temp = new TempDirectory();
        using var model = TinyModelFolders.CreateModel();
        using var adapter = LoraAdapter.Attach(model, new LoraConfig { Rank = 4, Alpha = 8, UseRsLora = true, TargetModules = ["q_proj"] });
        adapter.Save(temp.File("adapter"));

        LoraGgufExporter.Export(temp.File("adapter"), temp.File("a.gguf"));

        // PEFT scales by 8/√4 = 4; llama.cpp by alpha/4, so alpha must be 16.
        GgufFile.Read(temp.File("a.gguf"))["adapter.lora.alpha"].AsDouble().ShouldBe(16.0, 1e-5);
    }

    [Fact]
    public void Modelfile_ForShop_HasFromTemplateStopsAndSystem()
    {
        var text = OllamaModelfile.Render("./model.gguf", "你是青禾优选的智能客服小禾。", adapterPath: "./adapter.gguf");

        text.ShouldStartWith("FROM ./model.gguf\nADAPTER ./adapter.gguf\n");
        text.ShouldContain("TEMPLATE \"\"\"{{- if .Messages }}");
        text.ShouldContain("<tool_call>");
        text.ShouldContain("<tool_response>");
        text.ShouldContain("PARAMETER stop \"<|im_end|>\"");
        text.ShouldContain("PARAMETER stop \"<|endoftext|>\"");
        text.ShouldEndWith("SYSTEM \"\"\"你是青禾优选的智能客服小禾。\"\"\"\n");
    }
}
