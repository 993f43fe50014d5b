namespace Kefu.Data.Diagnostics;

/// <summary>
/// The stable codes of <see cref="DataDiagnostic"/>. Codes never change meaning, so scripts and CI can filter on them.
/// </summary>
public static class DiagnosticCodes
{
    /// <summary>Error: the text is not valid JSON (the message gives the column).</summary>
    public const string InvalidJson = "KD001";

    /// <summary>Error: the file is not UTF-8 (GBK or stray bytes); the message gives the byte offset.</summary>
    public const string InvalidEncoding = "KD002";

    /// <summary>Warning: the file starts with a UTF-8 byte-order mark; it is ignored.</summary>
    public const string ByteOrderMark = "KD003";

    /// <summary>Error for a named file, note for a scanned one: the content matches no supported format.</summary>
    public const string UnknownFormat = "KD004";

    /// <summary>Warning: the file holds no records.</summary>
    public const string EmptyFile = "KD005";

    /// <summary>Error: <c>kefu-data.json</c> is malformed or names a file that does not exist.</summary>
    public const string ManifestError = "KD006";

    /// <summary>Error: a PATH argument does not exist.</summary>
    public const string PathNotFound = "KD007";

    /// <summary>Error: a required field is missing.</summary>
    public const string MissingField = "KD010";

    /// <summary>Error: a field has the wrong JSON type or shape.</summary>
    public const string WrongType = "KD011";

    /// <summary>Error: an assistant answer is empty.</summary>
    public const string EmptyAnswer = "KD012";

    /// <summary>Error: a question, user turn or other required text is empty.</summary>
    public const string EmptyField = "KD013";

    /// <summary>Error: a message role (or ShareGPT <c>from</c>) is not one the chat template knows.</summary>
    public const string UnknownRole = "KD014";

    /// <summary>Error: the text holds a control character, a stray BOM or a U+FFFD replacement character.</summary>
    public const string ControlCharacter = "KD015";

    /// <summary>Error: two records share an id.</summary>
    public const string DuplicateId = "KD016";

    /// <summary>Error: the conversation does not end with an assistant turn, so there is nothing to learn.</summary>
    public const string NotEndingWithAssistant = "KD017";

    /// <summary>Error: a tool call's arguments are not a JSON object.</summary>
    public const string InvalidToolArguments = "KD018";

    /// <summary>Error: a tool call names a tool that the record (or manifest) does not declare.</summary>
    public const string UndeclaredTool = "KD019";

    /// <summary>Error: a tool result answers no pending tool call.</summary>
    public const string UnmatchedToolResult = "KD020";

    /// <summary>Warning: the rendered sample is longer than the token cutoff; the build drops it.</summary>
    public const string OverCutoff = "KD021";

    /// <summary>Error: the <c>category</c> value is not knowledge, dialogue or exception.</summary>
    public const string UnknownCategory = "KD022";

    /// <summary>Error: a CSV row has a different number of columns than the header.</summary>
    public const string CsvRowShape = "KD023";

    /// <summary>Error: a tool definition is malformed.</summary>
    public const string InvalidToolDefinition = "KD024";

    /// <summary>Warning: a record is a near-duplicate of an earlier one; the build keeps the first.</summary>
    public const string NearDuplicate = "KD030";

    /// <summary>Warning: a training record nearly duplicates an evaluation item (train/eval leakage).</summary>
    public const string Leakage = "KD031";

    /// <summary>Warning: personal data (mobile number, ID card, bank card, e-mail) in the text.</summary>
    public const string PersonalData = "KD040";

    /// <summary>Warning: the mix could not keep the target ratio or size (a category is short; nothing is up-sampled).</summary>
    public const string MixShort = "KD060";

    /// <summary>Note: token lengths were not checked because no tokenizer was given.</summary>
    public const string TokenCheckSkipped = "KD050";

    /// <summary>Note: a file in a scanned folder was skipped (not a dataset, or an evaluation set).</summary>
    public const string FileSkipped = "KD051";
}
