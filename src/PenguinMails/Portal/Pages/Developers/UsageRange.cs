using System.Globalization;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using PenguinMails.ApiUsage;

namespace PenguinMails.Portal.Pages.Developers;

/// <summary>
/// The usage page's URL (spec "Time Range Selector", "Filter"): <c>range</c> is 1h, 24h (the default), 7d, 30d or
/// <c>custom</c>; a custom range gives <c>from</c> and <c>to</c> as the browser's <c>datetime-local</c> values
/// (<c>2026-11-03T14:30</c>) read in <c>tz</c>, the browser's IANA zone that usage.js puts in the form (UTC without it,
/// or for a zone this server does not know); <c>key_id</c> is a key's id or pm_live_/pm_test_ identifier. The window
/// itself is checked by the API's own <see cref="UsageQuery"/>, so the page and the API accept the same ranges.
/// </summary>
public sealed record UsageRange(string? Range, string? From, string? To, string? Tz, string? KeyId)
{
    public static readonly (string Value, string Label)[] Choices =
        [("1h", "Last Hour"), ("24h", "Last 24 Hours"), ("7d", "Last 7 Days"), ("30d", "Last 30 Days"), ("custom", "Custom Range")];

    private const string LocalFormat = "yyyy-MM-dd'T'HH:mm";

    /// <summary>The range shown: custom when from or to is given, else a known range, else 24h.</summary>
    public string Chosen => Range == "custom" || From is not null || To is not null ? "custom"
        : Choices.Any(c => c.Value == Range) ? Range! : "24h";

    public TimeZoneInfo Zone => Tz is { Length: > 0 and <= 64 } && TimeZoneInfo.TryFindSystemTimeZoneById(Tz, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>
    /// The API's query for this URL, or null with the problems in <paramref name="errors"/> under the form's field names
    /// (range, from, to). An unknown range is an error rather than a silent default, as a mistyped link should say so.
    /// </summary>
    public UsageQuery? ToQuery(ModelStateDictionary errors)
    {
        if (Range is not null && Choices.All(c => c.Value != Range))
        {
            errors.AddModelError("range", "Choose Last Hour, Last 24 Hours, Last 7 Days, Last 30 Days or Custom Range.");
        }

        if (Chosen != "custom")
        {
            return errors.IsValid ? new UsageQuery(Chosen, null, null, KeyId, null, null, null) : null;
        }

        if (From is null && To is null)
        {
            // "Custom Range" chosen, nothing entered yet: the last 24 hours, in the fields ready to change.
            return errors.IsValid ? new UsageQuery("24h", null, null, KeyId, null, null, null) : null;
        }

        var from = Instant("from", From, "Enter the start of the range.", errors);
        var to = Instant("to", To, "Enter the end of the range.", errors);
        return errors.IsValid ? new UsageQuery(null, Rfc3339(from!.Value), Rfc3339(to!.Value), KeyId, null, null, null) : null;
    }

    /// <summary>A custom range's field value for an instant, in the form's zone.</summary>
    public string Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, Zone).ToString(LocalFormat, CultureInfo.InvariantCulture);

    /// <summary>This page's URL with the range and filters kept, changed by <paramref name="change"/> (null drops a parameter).</summary>
    public string Url(string path, params (string Name, string? Value)[] change)
    {
        var values = new Dictionary<string, string?>
        {
            ["range"] = Chosen == "24h" ? null : Chosen,
            ["from"] = Chosen == "custom" ? From : null,
            ["to"] = Chosen == "custom" ? To : null,
            ["tz"] = Chosen == "custom" ? Tz : null,
            ["key_id"] = KeyId,
        };
        foreach (var (name, value) in change)
        {
            values[name] = value;
        }

        var query = new QueryBuilder(values.Where(v => v.Value is not null).Select(v => new KeyValuePair<string, string>(v.Key, v.Value!)));
        return path + query.ToQueryString();
    }

    private DateTime? Instant(string field, string? text, string missing, ModelStateDictionary errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.AddModelError(field, missing);
            return null;
        }

        if (!DateTime.TryParseExact(text, [LocalFormat, LocalFormat + ":ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            errors.AddModelError(field, "Enter a date and time, such as 2026-11-03 14:30.");
            return null;
        }

        if (Zone.IsInvalidTime(local))
        {
            errors.AddModelError(field, $"That time does not exist in {Zone.Id}: the clocks skipped it.");
            return null;
        }

        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone);
    }

    private static string Rfc3339(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
