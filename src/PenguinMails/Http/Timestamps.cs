using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace PenguinMails.Http;

/// <summary>
/// Every time stamp the API reads, in a body or a query string: RFC 3339 section 5.6 <c>date-time</c>, which
/// requires a zone (<c>Z</c> or an offset such as <c>+02:00</c>). A value without one (a date alone included) is
/// refused rather than read in the server's local zone, so that it means the same instant on every host
/// (DECISIONS.md "Time stamps").
/// </summary>
public static partial class Timestamps
{
    public const string Example = "2026-12-01T10:00:00Z";

    /// <summary>
    /// Parses an RFC 3339 date-time with its zone; false for anything else. Fractions finer than the runtime's 100 ns
    /// are cut to it; a leap second (<c>23:59:60</c>) is read as the instant after <c>23:59:59</c>, as UTC keeps no
    /// leap seconds.
    /// </summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is null || Rfc3339().Match(text) is not { Success: true } match)
        {
            return false;
        }

        var leap = match.Groups["second"].Value == "60";
        var fraction = match.Groups["fraction"].Value;
        var normalized = match.Groups["head"].Value + (leap ? "59" : match.Groups["second"].Value)
            + (fraction.Length > 0 ? "." + fraction[..Math.Min(7, fraction.Length)] : "") + match.Groups["zone"].Value;
        if (!DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            return false;
        }

        value = leap ? value.AddSeconds(1) : value;
        return true;
    }

    /// <summary>The message for a refused value of <paramref name="field"/> in a JSON body.</summary>
    public static string BodyRule(string field) =>
        $"{field} must be an RFC 3339 time stamp with a zone, Z or an offset: {Example} or 2026-12-01T11:00:00+01:00.";

    /// <summary>The message for a refused query parameter: a '+' written there arrives as a space.</summary>
    public static string QueryRule(string field) =>
        $"{field} must be an RFC 3339 time stamp with a zone: {Example}, or an offset with + written as %2B " +
        "(2026-12-01T11:00:00%2B01:00), since a + in a query string arrives as a space.";

    /// <summary>Reads a query parameter: null when absent; a <see cref="ErrorDetail"/> added to <paramref name="details"/> when invalid.</summary>
    public static DateTime? FromQuery(string field, string? text, List<ErrorDetail> details)
    {
        if (text is null)
        {
            return null;
        }

        if (TryParse(text, out var parsed))
        {
            return parsed.UtcDateTime;
        }

        details.Add(new ErrorDetail(field, QueryRule(field)));
        return null;
    }

    [GeneratedRegex(@"^(?<head>\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:)(?<second>\d{2})(\.(?<fraction>\d+))?(?<zone>[Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    /// <summary>The JSON converter of every <see cref="DateTimeOffset"/> in request bodies; writes UTC with Z.</summary>
    public sealed class JsonConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && TryParse(reader.GetString(), out var value)
                ? value
                : throw new JsonFieldException(field => BodyRule(field));

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime);
    }
}
