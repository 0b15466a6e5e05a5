using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;

namespace PenguinMails.Http;

/// <summary>
/// A label shown on one line — a key's, template's, campaign's or tenant's name, a contact's name, a tag. It may not hold
/// a control character (Unicode category Cc: line breaks, tab, NUL, BEL, DEL, the C1 set), a line or paragraph separator
/// (U+2028, U+2029), or a bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069). Those make a name
/// span lines or read backwards in lists, audit entries and alert mail — a key named <c>"prod\u202Eyek-tset"</c> shows as
/// "prodtest-key" (the "Trojan Source" trick, CVE-2021-42574). Joiners (U+200C, U+200D) stay: emoji sequences and
/// Persian need them; so do right-to-left letters, whose direction Unicode already knows.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class OneLineAttribute : ValidationAttribute
{
    /// <summary>
    /// Why <paramref name="text"/> is not one line of plain text — "holds a line feed (U+000A) at character 3" — or
    /// null when it is. Characters are counted in code points from 1, as <see cref="TextLengthAttribute"/> counts them.
    /// </summary>
    public static string? Problem(string text)
    {
        var position = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsLowSurrogate(c))
            {
                position++;
            }

            if (Describe(c) is { } what)
            {
                return $"holds {what} (U+{(int)c:X4}) at character {position}";
            }
        }

        return null;
    }

    /// <summary>The message for a field: "name must be one line of plain text: it holds a tab (U+0009) at character 1."</summary>
    public static string Message(string field, string problem) => $"{field} must be one line of plain text: it {problem}.";

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        // White space only is blank, which the length rule or Required names: one message per fault.
        if (value is not string text || string.IsNullOrWhiteSpace(text) || Problem(text) is not { } problem)
        {
            return ValidationResult.Success;
        }

        var member = validationContext.MemberName ?? validationContext.DisplayName;
        return new ValidationResult(Message(JsonNamingPolicy.SnakeCaseLower.ConvertName(member), problem), [member]);
    }

    private static string? Describe(char c) => c switch
    {
        '\n' => "a line feed",
        '\r' => "a carriage return",
        '\t' => "a tab",
        '\u2028' => "a line separator",
        '\u2029' => "a paragraph separator",
        >= '\u202A' and <= '\u202E' => "a bidirectional embedding or override",
        >= '\u2066' and <= '\u2069' => "a bidirectional isolate",
        _ when char.GetUnicodeCategory(c) == UnicodeCategory.Control => "a control character",
        _ => null,
    };
}
