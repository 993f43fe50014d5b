using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kefu.Text.Templates;

/// <summary>
/// Writes JSON exactly as Python's <c>json.dumps(x, ensure_ascii=False)</c> does, which is what the <c>tojson</c>
/// filter of Hugging Face's chat templates calls (transformers overrides Jinja's own <c>tojson</c>, which would
/// sort keys and escape &lt;, &gt;, &amp; and '): separators ", " and ": ", keys in their original order, non-ASCII
/// kept as is, only <c>"</c>, <c>\</c> and control characters escaped, floats as Python's <c>repr</c>.
/// </summary>
internal static class PythonJson
{
    /// <summary>Parses <paramref name="json"/> and writes it back in Python's style.</summary>
    public static bool TryReformat(string json, out string formatted, out string error)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            formatted = Serialize(document.RootElement);
            error = string.Empty;
            return true;
        }
        catch (JsonException e)
        {
            formatted = string.Empty;
            error = e.Message;
            return false;
        }
    }

    public static string Serialize(JsonElement element)
    {
        var builder = new StringBuilder();
        Write(builder, element);
        return builder.ToString();
    }

    public static void WriteString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case < ' ': builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }
        builder.Append('"');
    }

    private static void Write(StringBuilder builder, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(builder, element);
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                        builder.Append(", ");
                    first = false;
                    Write(builder, item);
                }
                builder.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(builder, element.GetString()!);
                break;
            case JsonValueKind.Number:
                builder.Append(FormatNumber(element.GetRawText()));
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            default:
                builder.Append("null");
                break;
        }
    }

    // Python's json.loads keeps a repeated key at its first position with its last value.
    private static void WriteObject(StringBuilder builder, JsonElement element)
    {
        var members = new List<(string Name, JsonElement Value)>();
        var indexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (indexByName.TryGetValue(property.Name, out var index))
            {
                members[index] = (property.Name, property.Value);
            }
            else
            {
                indexByName[property.Name] = members.Count;
                members.Add((property.Name, property.Value));
            }
        }

        builder.Append('{');
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0)
                builder.Append(", ");
            WriteString(builder, members[i].Name);
            builder.Append(": ");
            Write(builder, members[i].Value);
        }
        builder.Append('}');
    }

    // A JSON number without '.', 'e' or 'E' is a Python int (printed as written); any other is a float.
    private static string FormatNumber(string raw)
    {
        if (raw.AsSpan().IndexOfAny(".eE") < 0)
            return raw == "-0" ? "0" : raw;
        return FormatFloat(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    /// <summary>Python's <c>repr(float)</c>: shortest round-trip digits, scientific below 1e-4 and from 1e16.</summary>
    internal static string FormatFloat(double value)
    {
        if (double.IsNaN(value))
            return "NaN";
        if (double.IsInfinity(value))
            return value > 0 ? "Infinity" : "-Infinity";
        if (value == 0)
            return double.IsNegative(value) ? "-0.0" : "0.0";

        // .NET's "R" gives the same shortest round-trip digits as Python; only the layout differs.
        var text = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var digits = dot >= 0 ? text.Remove(dot, 1) : text;
        var pointPosition = (dot >= 0 ? dot : text.Length) + exponent; // value = 0.digits × 10^pointPosition
        var leadingZeros = 0;
        while (leadingZeros < digits.Length - 1 && digits[leadingZeros] == '0')
            leadingZeros++;
        digits = digits[leadingZeros..].TrimEnd('0');
        pointPosition -= leadingZeros;
        var decimalExponent = pointPosition - 1; // value = d.ddd × 10^decimalExponent

        string body;
        if (decimalExponent is < -4 or >= 16)
        {
            var mantissa = digits.Length > 1 ? $"{digits[0]}.{digits[1..]}" : digits;
            var sign = decimalExponent < 0 ? '-' : '+';
            body = $"{mantissa}e{sign}{Math.Abs(decimalExponent).ToString("00", CultureInfo.InvariantCulture)}";
        }
        else if (pointPosition <= 0)
        {
            body = "0." + new string('0', -pointPosition) + digits;
        }
        else if (pointPosition >= digits.Length)
        {
            body = digits + new string('0', pointPosition - digits.Length) + ".0";
        }
        else
        {
            body = $"{digits[..pointPosition]}.{digits[pointPosition..]}";
        }
        return value < 0 ? "-" + body : body;
    }
}
