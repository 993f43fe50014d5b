namespace Kefu.Safety.Pii;

/// <summary>Kinds of personal data <see cref="PiiScanner"/> finds.</summary>
public enum PiiKind
{
    /// <summary>A mainland China mobile number (11 digits, 1[3-9]…).</summary>
    MobilePhone,

    /// <summary>An 18-digit resident ID card number whose GB 11643 check digit is right.</summary>
    IdCard,

    /// <summary>A 16–19 digit bank card number that passes the Luhn check.</summary>
    BankCard,

    /// <summary>An e-mail address.</summary>
    Email,
}
