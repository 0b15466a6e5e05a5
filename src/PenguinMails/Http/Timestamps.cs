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
    /// Parses an RFC 3339 date-time with its zone; false for anything else (<see cref="Read"/> says why). Fractions
    /// finer than the runtime's 100 ns are cut to it; a leap second (<c>23:59:60</c>) is read as the instant after
    /// <c>23:59:59</c>, as UTC keeps no leap seconds.
    /// </summary>
    public static bool TryParse(string? text, out DateTimeOffset value) => Read(text, out value) == TimestampProblem.None;

    /// <summary>
    /// Parses an RFC 3339 date-time (section 5.6) with its zone, or says what is wrong with it: not of that form
    /// (no zone, a date alone), of that form but naming no real moment (month 13, 30 February, hour 24, an offset of
    /// 24 hours or more: section 5.7), or a real moment outside what is stored (year 1 to 9999 in UTC).
    /// </summary>
    public static TimestampProblem Read(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is null || Rfc3339().Match(text) is not { Success: true } match)
        {
            return TimestampProblem.Form;
        }

        int Part(string name) => int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture);
        var (year, month, day) = (Part("year"), Part("month"), Part("day"));
        var (hour, minute, second) = (Part("hour"), Part("minute"), Part("second"));
        var zone = match.Groups["zone"].Value;
        var offsetHours = zone.Length > 1 ? Part("offsetHours") : 0;
        var offsetMinutes = zone.Length > 1 ? Part("offsetMinutes") : 0;
        if (year == 0)
        {
            return TimestampProblem.OutOfRange;
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59
            || second > 60 || offsetHours > 23 || offsetMinutes > 59)
        {
            return TimestampProblem.NoSuchMoment;
        }

        var fraction = match.Groups["fraction"].Value;
        var ticks = fraction.Length == 0 ? 0 : long.Parse(fraction[..Math.Min(7, fraction.Length)].PadRight(7, '0'), CultureInfo.InvariantCulture);
        var offset = new TimeSpan(offsetHours, offsetMinutes, 0) * (zone.StartsWith('-') ? -1 : 1);
        var local = new DateTime(year, month, day, hour, minute, Math.Min(second, 59)).AddTicks(ticks);
        var utc = local.Ticks - offset.Ticks + (second == 60 ? TimeSpan.TicksPerSecond : 0);
        if (utc < DateTime.MinValue.Ticks || utc > DateTime.MaxValue.Ticks)
        {
            return TimestampProblem.OutOfRange;
        }

        // .NET keeps offsets within ±14 hours; RFC 3339 allows up to 23:59, which still names one instant: kept in UTC.
        value = new DateTimeOffset(utc, TimeSpan.Zero);
        value = offset.Duration() <= TimeSpan.FromHours(14) ? value.ToOffset(offset) : value;
        return TimestampProblem.None;
    }

    /// <summary>The message for a refused value of <paramref name="field"/> in a JSON body.</summary>
    public static string BodyRule(string field, TimestampProblem problem = TimestampProblem.Form) => problem switch
    {
        TimestampProblem.NoSuchMoment => NoSuchMoment(field),
        TimestampProblem.OutOfRange => OutOfRange(field),
        _ => $"{field} must be an RFC 3339 time stamp with a zone, Z or an offset: {Example} or 2026-12-01T11:00:00+01:00.",
    };

    /// <summary>The message for a refused query parameter: a '+' written there arrives as a space.</summary>
    public static string QueryRule(string field, TimestampProblem problem = TimestampProblem.Form) => problem switch
    {
        TimestampProblem.NoSuchMoment => NoSuchMoment(field),
        TimestampProblem.OutOfRange => OutOfRange(field),
        _ => $"{field} must be an RFC 3339 time stamp with a zone: {Example}, or an offset with + written as %2B " +
            "(2026-12-01T11:00:00%2B01:00), since a + in a query string arrives as a space.",
    };

    private static string NoSuchMoment(string field) =>
        $"{field} names a date or time that does not exist: months run 01–12, days to the month's last (28 or 29 in " +
        "February), hours 00–23, minutes and seconds 00–59, and an offset's hours 00–23.";

    private static string OutOfRange(string field) =>
        $"{field} is out of range: time stamps run from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.";

    /// <summary>
    /// A window's two ends from the query (<c>created_after</c> inclusive, <c>created_before</c> exclusive), each read by
    /// <see cref="FromQuery"/>; an end before or at the start is refused at <paramref name="endField"/> ("created_before
    /// must be later than created_after."), as the audit log's and the request log's windows are: reversed, the window
    /// holds nothing and its empty page would look like no data.
    /// </summary>
    public static (DateTime? Start, DateTime? End) WindowFromQuery(
        string startField, string? start, string endField, string? end, List<ErrorDetail> details)
    {
        var from = FromQuery(startField, start, details);
        var to = FromQuery(endField, end, details);
        if (from is { } a && to is { } b && b <= a)
        {
            details.Add(new ErrorDetail(endField, $"{endField} must be later than {startField}."));
        }

        return (from, to);
    }

    /// <summary>Reads a query parameter: null when absent; a <see cref="ErrorDetail"/> added to <paramref name="details"/> when invalid.</summary>
    public static DateTime? FromQuery(string field, string? text, List<ErrorDetail> details)
    {
        if (text is null)
        {
            return null;
        }

        if (Read(text, out var parsed) is var problem && problem == TimestampProblem.None)
        {
            return parsed.UtcDateTime;
        }

        details.Add(new ErrorDetail(field, QueryRule(field, problem)));
        return null;
    }

    // [0-9], not \d: \d also matches other scripts' digits (٢٠٢٦), which are not RFC 3339's DIGIT.
    [GeneratedRegex(@"^(?<year>[0-9]{4})-(?<month>[0-9]{2})-(?<day>[0-9]{2})[Tt](?<hour>[0-9]{2}):(?<minute>[0-9]{2}):(?<second>[0-9]{2})(\.(?<fraction>[0-9]+))?(?<zone>[Zz]|[+-](?<offsetHours>[0-9]{2}):(?<offsetMinutes>[0-9]{2}))$")]
    private static partial Regex Rfc3339();

    /// <summary>The JSON converter of every <see cref="DateTimeOffset"/> in request bodies; writes UTC with Z.</summary>
    public sealed class JsonConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = default(DateTimeOffset);
            var problem = reader.TokenType == JsonTokenType.String ? Timestamps.Read(reader.GetString(), out value) : TimestampProblem.Form;
            return problem == TimestampProblem.None ? value : throw new JsonFieldException(field => BodyRule(field, problem));
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime);
    }
}

/// <summary>What is wrong with a time stamp the API was sent (<see cref="Timestamps.Read"/>).</summary>
public enum TimestampProblem
{
    /// <summary>Nothing: it was read.</summary>
    None,

    /// <summary>Not an RFC 3339 date-time with a zone.</summary>
    Form,

    /// <summary>Of that form, but no such moment exists (month 13, 30 February, hour 24).</summary>
    NoSuchMoment,

    /// <summary>A real moment before year 1 or after year 9999 in UTC.</summary>
    OutOfRange,
}
