using System.Globalization;
using Kefu.Data.Records;
using Kefu.Text;

namespace Kefu.Data.Tests;

/// <summary>Small in-memory records for tests of mixing and splitting.</summary>
internal static class TestRecords
{
    private static readonly SourceFile File = new("/data/test.jsonl", "test.jsonl", "test.jsonl");

    public static List<DataRecord> Make(int knowledge, int dialogue, int exception)
    {
        var records = new List<DataRecord>();
        var line = 1;
        foreach (var (category, count) in new[] { (DataCategory.Knowledge, knowledge), (DataCategory.Dialogue, dialogue), (DataCategory.Exception, exception) })
        {
            for (var i = 0; i < count; i++, line++)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"{category}-{i}");
                ChatTurn[] turns = [new("user", "question " + id), new("assistant", "answer " + id)];
                records.Add(new DataRecord(id, File, line, DatasetFormat.Alpaca, turns, []) { Category = category, HasExplicitId = true });
            }
        }
        return records;
    }
}
