using System.Globalization;
using System.Text;

namespace PenguinMails.Contacts;

/// <summary>
/// The one text a JSON number (RFC 8259 §6) is stored, shown and filtered as: its exact value written without
/// redundant zeros, sign or exponent (<c>1.50</c>, <c>15e-1</c> → <c>1.5</c>; <c>-0</c>, <c>0e5</c> → <c>0</c>;
/// <c>1E3</c> → <c>1000</c>), in exponent form only where plain digits would be long (as JavaScript writes numbers:
/// <c>1e+21</c>, <c>1e-7</c>). Rewriting the literal's digits rather than going through a double keeps every digit sent.
/// </summary>
internal static class AttributeNumber
{
    /// <summary>The canonical text of <paramref name="literal"/>, a valid JSON number; null when no double holds it.</summary>
    public static string? Canonical(string literal)
    {
        if (!double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            return null; // 1e309: beyond every double
        }

        var negative = literal.StartsWith('-');
        var mantissa = negative ? literal[1..] : literal;
        var exponent = 0;
        var e = mantissa.IndexOfAny(['e', 'E']);
        if (e >= 0)
        {
            // An exponent too long for an int belongs to a number a double already refused or to zero.
            exponent = int.TryParse(mantissa[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
            mantissa = mantissa[..e];
        }

        var point = mantissa.IndexOf('.');
        var digits = point < 0 ? mantissa : mantissa[..point] + mantissa[(point + 1)..];
        exponent -= point < 0 ? 0 : mantissa.Length - point - 1; // value = digits × 10^exponent
        var trimmed = digits.TrimStart('0');
        if (trimmed.Length == 0)
        {
            return "0"; // -0 too: one zero, so that attribute[x]=0 finds it
        }

        if (value == 0)
        {
            return null; // 1e-400: a double would hold it as 0, which is not what was sent
        }

        var significant = trimmed.TrimEnd('0');
        exponent += trimmed.Length - significant.Length;
        return (negative ? "-" : "") + Write(significant, exponent);
    }

    private static string Write(string digits, int exponent)
    {
        var point = digits.Length + exponent; // digits before the decimal point
        if (exponent >= 0 && point <= 21)
        {
            return digits + new string('0', exponent);
        }

        if (point is > 0 and <= 21)
        {
            return digits[..point] + "." + digits[point..];
        }

        if (point is > -6 and <= 0)
        {
            return "0." + new string('0', -point) + digits;
        }

        var text = new StringBuilder().Append(digits[0]);
        if (digits.Length > 1)
        {
            text.Append('.').Append(digits, 1, digits.Length - 1);
        }

        return text.Append('e').Append(point - 1 >= 0 ? "+" : "-").Append(Math.Abs(point - 1)).ToString();
    }
}
