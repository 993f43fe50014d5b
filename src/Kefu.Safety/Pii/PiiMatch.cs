namespace Kefu.Safety.Pii;

/// <summary>One piece of personal data found in a text.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Index">Start in the text (UTF-16 index).</param>
/// <param name="Length">Length in UTF-16 code units.</param>
/// <param name="Value">The text found.</param>
/// <param name="Masked">The same value masked so it stays recognisable (138****5678).</param>
public sealed record PiiMatch(PiiKind Kind, int Index, int Length, string Value, string Masked)
{
    /// <summary>A short English name of the kind for reports ("mobile number").</summary>
    public string KindName => Kind switch
    {
        PiiKind.MobilePhone => "mobile number",
        PiiKind.IdCard => "ID card number",
        PiiKind.BankCard => "bank card number",
        _ => "e-mail address",
    };
}
