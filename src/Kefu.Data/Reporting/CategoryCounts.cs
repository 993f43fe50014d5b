using Kefu.Data.Records;

namespace Kefu.Data.Reporting;

/// <summary>Record counts per category.</summary>
public sealed record CategoryCounts(int Knowledge, int Dialogue, int Exception)
{
    public int Total => Knowledge + Dialogue + Exception;

    public int this[DataCategory category] => category switch
    {
        DataCategory.Knowledge => Knowledge,
        DataCategory.Dialogue => Dialogue,
        _ => Exception,
    };

    public static CategoryCounts Of(IEnumerable<DataRecord> records)
    {
        int k = 0, d = 0, e = 0;
        foreach (var record in records)
        {
            switch (record.Category)
            {
                case DataCategory.Knowledge: k++; break;
                case DataCategory.Dialogue: d++; break;
                default: e++; break;
            }
        }
        return new CategoryCounts(k, d, e);
    }
}
