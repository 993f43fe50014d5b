using System.Text.Json;

namespace Kefu.Training.Data;

/// <summary>
/// Reads the kefu-sft/1 training files that <c>kefu data build</c> writes (see Kefu.Data's TrainingSetWriter for the
/// format): only id, category, input_ids and loss_mask are needed to train. Errors name file, line and field.
/// </summary>
public static class SftJsonlReader
{
    public static IReadOnlyList<SftExample> Read(string path, int vocabularyLimit)
    {
        if (!File.Exists(path))
            throw new SftDatasetException($"{path}: file not found (run `kefu data build` to make a training folder).");
        var examples = new List<SftExample>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            examples.Add(Parse(line, path, lineNumber, vocabularyLimit));
        }
        return examples;
    }

    internal static SftExample Parse(string line, string path, int lineNumber, int vocabularyLimit)
    {
        string Where(string field) => $"{path}:{lineNumber}: field {field}";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new SftDatasetException($"{path}:{lineNumber}: not valid JSON ({e.Message}).", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new SftDatasetException($"{path}:{lineNumber}: expected a JSON object.");
            var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : $"{Path.GetFileName(path)}:{lineNumber}";
            var category = root.TryGetProperty("category", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";
            if (!root.TryGetProperty("input_ids", out var idsElement) || idsElement.ValueKind != JsonValueKind.Array)
                throw new SftDatasetException($"{Where("input_ids")}: missing or not an array.");
            var ids = new int[idsElement.GetArrayLength()];
            var index = 0;
            foreach (var element in idsElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var value) || value < 0)
                    throw new SftDatasetException($"{Where("input_ids")}: item {index} is not a non-negative integer.");
                if (value >= vocabularyLimit)
                    throw new SftDatasetException($"{Where("input_ids")}: token id {value} at item {index} is outside the model's vocabulary of {vocabularyLimit}; was the dataset rendered with another tokenizer?");
                ids[index++] = value;
            }
            if (!root.TryGetProperty("loss_mask", out var maskElement) || maskElement.ValueKind != JsonValueKind.String)
                throw new SftDatasetException($"{Where("loss_mask")}: missing or not a string of '0'/'1'.");
            var maskText = maskElement.GetString()!;
            if (maskText.Length != ids.Length)
                throw new SftDatasetException($"{Where("loss_mask")}: has {maskText.Length} characters for {ids.Length} input ids.");
            var mask = new bool[maskText.Length];
            for (var i = 0; i < maskText.Length; i++)
            {
                mask[i] = maskText[i] switch
                {
                    '1' => true,
                    '0' => false,
                    _ => throw new SftDatasetException($"{Where("loss_mask")}: character {i} is '{maskText[i]}', expected '0' or '1'."),
                };
            }
            if (ids.Length < 2)
                throw new SftDatasetException($"{Where("input_ids")}: a sample needs at least two tokens.");
            return new SftExample(id, category, ids, mask);
        }
    }
}
