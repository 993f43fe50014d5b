namespace Kefu.Data.Records;

/// <summary>Format names as written in <c>kefu-data.json</c> and reports.</summary>
public static class DatasetFormatNames
{
    /// <summary>What error messages list as accepted values.</summary>
    public const string Accepted = "alpaca, messages (or openai), sharegpt or csv";

    public static bool TryParse(string? text, out DatasetFormat format)
    {
        format = default;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "alpaca": format = DatasetFormat.Alpaca; return true;
            case "messages" or "openai" or "chatml": format = DatasetFormat.Messages; return true;
            case "sharegpt": format = DatasetFormat.ShareGpt; return true;
            case "csv": format = DatasetFormat.Csv; return true;
            default: return false;
        }
    }

    /// <summary>The lower-case name used in reports.</summary>
    public static string ToName(this DatasetFormat format) => format switch
    {
        DatasetFormat.Alpaca => "alpaca",
        DatasetFormat.Messages => "messages",
        DatasetFormat.ShareGpt => "sharegpt",
        _ => "csv",
    };
}
